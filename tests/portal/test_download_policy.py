"""One rule for private files (portal.access), tried as the attack: staff of another branch, staff
with a password-only session and a stranger get 404 on a W1 photo; the applicant and verified staff
of the branch download it."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.http import Http404
from django.test import RequestFactory

from portal.access import can_download, require_download
from portal.urls_helpers import tenant_reverse
from readings.models import SubmittedReading
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory
from tests.meters.factories import MeterFactory, SubscriberAccountFactory
from tests.portal.factories import BranchFactory, StaffMembershipFactory, login_verified_staff

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 64


@pytest.fixture
def line(tenant, branch, user):
    account = SubscriberAccountFactory(tenant=tenant, branch=branch)
    application = ApplicationFactory(tenant=tenant, applicant=user, branch=branch, account=account)
    line = SubmittedReading(
        tenant=tenant,
        application=application,
        meter=MeterFactory(tenant=tenant, account=account),
        entered_serial="SN-1",
        value=Decimal("10"),
        reading_date=datetime.date(2026, 10, 1),
    )
    line.photo.save("photo.jpg", ContentFile(JPEG), save=False)
    line.save()
    yield line
    line.photo.delete(save=False)


def photo_url(line):
    return tenant_reverse(line.tenant, "readings:submission_photo", kwargs={"pk": line.pk})


def staff_of(tenant, branches=()):
    membership = StaffMembershipFactory(tenant=tenant)
    membership.branches.set(branches)
    return membership.user


def test_the_applicant_downloads_his_photo(client, user, line):
    client.force_login(user)

    assert client.get(photo_url(line)).status_code == 200


def test_verified_staff_of_the_branch_download_the_photo(client, tenant, branch, line):
    login_verified_staff(client, staff_of(tenant, [branch]))

    assert client.get(photo_url(line)).status_code == 200


def test_a_reviewer_of_another_branch_gets_404_on_the_photo(client, tenant, line):
    login_verified_staff(client, staff_of(tenant, [BranchFactory(tenant=tenant)]))

    assert client.get(photo_url(line)).status_code == 404


def test_staff_with_a_password_only_session_get_404_on_the_photo(client, tenant, branch, line):
    client.force_login(staff_of(tenant, [branch]))

    assert client.get(photo_url(line)).status_code == 404


def test_verified_staff_of_another_tenant_get_404_on_the_photo(client, other_tenant, line):
    login_verified_staff(client, staff_of(other_tenant))

    assert client.get(photo_url(line)).status_code == 404


# -- the rule itself ---------------------------------------------------------------------------


def request_as(user, *, verified):
    request = RequestFactory().get("/")
    user.is_verified = lambda: verified
    request.user = user
    return request


def test_the_owner_may_download_without_a_second_factor(tenant, branch):
    request = request_as(UserFactory(), verified=False)

    assert can_download(request, tenant=tenant, branch=branch, owned=True)


def test_a_superuser_needs_the_second_factor_too(tenant, branch):
    superuser = UserFactory(is_staff=True, is_superuser=True)

    assert not can_download(request_as(superuser, verified=False), tenant=tenant, branch=branch, owned=False)
    assert can_download(request_as(superuser, verified=True), tenant=tenant, branch=branch, owned=False)


def test_a_branch_restricted_reviewer_is_refused_an_object_without_a_branch(tenant, branch):
    request = request_as(staff_of(tenant, [branch]), verified=True)

    assert can_download(request, tenant=tenant, branch=branch.pk, owned=False)
    assert not can_download(request, tenant=tenant, branch=None, owned=False)


def test_a_refusal_is_a_404_not_a_403(tenant, branch):
    request = request_as(UserFactory(), verified=True)

    with pytest.raises(Http404):
        require_download(request, tenant=tenant, branch=branch, owned=False)
