"""Staff review readings in the admin: lines against the database, accept / reject / on-site check,
only within their tenant and branches; photos only through the permission-checking view."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from applications.models import Status
from meters.models import Reading
from portal.urls_helpers import tenant_reverse
from readings.models import OnSiteCheck, SubmittedReading
from readings.services import ReadingLine, send_to_on_site_check, submit_readings
from tests.accounts.factories import UserFactory
from tests.meters.factories import account_with_history
from tests.portal.factories import BranchFactory, StaffMembershipFactory, login_verified_staff
from tests.readings.helpers import YESTERDAY, jpeg_upload

pytestmark = pytest.mark.django_db


def staff(tenant, branches=(), email=None):
    membership = StaffMembershipFactory(
        tenant=tenant, user=UserFactory(email=email, is_staff=True, preferred_language="en")
    )
    membership.branches.add(*branches)
    permissions = Permission.objects.filter(content_type__app_label__in=["meters", "applications", "readings"])
    membership.user.user_permissions.add(*permissions)
    return membership.user


@pytest.fixture
def account(tenant, branch):
    return account_with_history(tenant, branch)


@pytest.fixture
def application(tenant, account, user):
    meter = account.meters.get()
    return submit_readings(
        tenant=tenant,
        account=account,
        applicant=user,
        lines=[
            ReadingLine(
                meter=meter,
                entered_serial=meter.serial_number.lower(),
                entered_seal="PL-OTHER",
                value=Decimal("900"),
                reading_date=YESTERDAY,
                photo=jpeg_upload(),
                confirmed=True,
            )
        ],
        contact_phone="",
        contact_email="citizen@example.com",
        notes="",
        idempotency_key=uuid.uuid4().hex,
        language="en",
    )


def changelist():
    return reverse("admin:readings_readingsapplication_changelist")


def test_the_line_is_shown_against_the_database_with_readable_flags(client, tenant, branch, application):
    login_verified_staff(client, staff(tenant, [branch], "reviewer@azersu.test"))
    page = client.get(reverse("admin:readings_readingsapplication_change", args=[application.pk])).content.decode()
    assert "Seal number entered PL-OTHER, database PL0000" in page
    assert "Implausible jump: 700.000 since the last reading; usual consumption 0.333 a day" in page
    assert "Citizen confirmed an unusual reading" in page
    line = application.reading_lines.get()
    assert tenant_reverse(tenant, "readings:submission_photo", kwargs={"pk": line.pk}) in page


def test_staff_accept_books_the_readings_and_executes(client, tenant, branch, application):
    login_verified_staff(client, staff(tenant, [branch], "reviewer@azersu.test"))
    confirmation = client.post(changelist(), {"action": "accept", "_selected_action": [application.pk]})
    assert "Booked readings cannot be taken back." in confirmation.content.decode()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED  # nothing happens before staff confirm

    response = client.post(changelist(), {"action": "accept", "_selected_action": [application.pk], "apply": "1"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.EXECUTED
    assert Reading.objects.get(source=Reading.Source.CITIZEN).value == Decimal("900")


def test_reject_asks_for_a_reason_first(client, tenant, branch, application):
    login_verified_staff(client, staff(tenant, [branch], "reviewer@azersu.test"))
    page = client.post(changelist(), {"action": "reject", "_selected_action": [application.pk]})
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    client.post(
        changelist(),
        {"action": "reject", "_selected_action": [application.pk], "apply": "1", "reason": "Blurred photo"},
    )
    application.refresh_from_db()
    assert (application.status, application.decision_reason) == (Status.REJECTED, "Blurred photo")


def test_send_to_on_site_check_then_record_the_inspection(client, tenant, branch, account, application):
    reviewer = staff(tenant, [branch], "reviewer@azersu.test")
    login_verified_staff(client, reviewer)
    client.post(
        changelist(),
        {"action": "send_to_on_site_check", "_selected_action": [application.pk], "apply": "1", "reason": "Jump"},
    )
    check = OnSiteCheck.objects.get(application=application)
    meter = account.meters.get()
    record_url = reverse("admin:readings_onsitecheck_record", args=[check.pk])
    assert record_url in client.get(reverse("admin:readings_onsitecheck_change", args=[check.pk])).content.decode()
    response = client.post(
        record_url,
        {"performed_on": YESTERDAY.isoformat(), f"value_{meter.pk}": "215.5", f"seal_{meter.pk}": "PL0000", "note": ""},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.EXECUTED
    assert application.reading_lines.get().outcome == SubmittedReading.Outcome.INSPECTED
    assert Reading.objects.get(source=Reading.Source.INSPECTION).value == Decimal("215.5")


def test_staff_of_another_branch_or_tenant_cannot_see_the_application(client, tenant, other_tenant, application):
    other_branch = BranchFactory(tenant=tenant)
    for user in [staff(tenant, [other_branch], "elsewhere@azersu.test"), staff(other_tenant, [], "ru@izh.test")]:
        login_verified_staff(client, user)
        assert application.number not in client.get(changelist()).content.decode()
        change = client.get(reverse("admin:readings_readingsapplication_change", args=[application.pk]))
        assert change.status_code == 302  # the admin redirects a missing object to the index
        client.post(changelist(), {"action": "accept", "_selected_action": [application.pk], "apply": "1"})
        application.refresh_from_db()
        assert application.status == Status.SUBMITTED


def test_on_site_checks_are_scoped_by_branch(client, tenant, branch, application):
    check = send_to_on_site_check(application=application, actor=None, reason="Seal")
    login_verified_staff(client, staff(tenant, [BranchFactory(tenant=tenant)], "elsewhere@azersu.test"))
    assert client.get(reverse("admin:readings_onsitecheck_record", args=[check.pk])).status_code == 302
    assert client.get(reverse("admin:readings_onsitecheck_changelist")).content.decode().count(application.number) == 0


# -- the photo view ------------------------------------------------------------------------------


def photo_url(tenant, application):
    return tenant_reverse(tenant, "readings:submission_photo", kwargs={"pk": application.reading_lines.get().pk})


def test_the_applicant_downloads_his_photo_as_an_attachment(client, tenant, user, application):
    client.force_login(user)
    response = client.get(photo_url(tenant, application))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"


def test_the_photo_is_404_for_another_user(client, tenant, other_user, application):
    client.force_login(other_user)
    assert client.get(photo_url(tenant, application)).status_code == 404


def test_the_photo_is_404_under_another_tenant(client, tenant, other_tenant, user, application):
    client.force_login(user)
    url = photo_url(tenant, application).replace(f"/{tenant.slug}/", f"/{other_tenant.slug}/")
    assert client.get(url).status_code == 404


def test_verified_staff_of_the_branch_get_the_photo_others_do_not(client, tenant, branch, application):
    login_verified_staff(client, staff(tenant, [branch], "reviewer@azersu.test"))
    assert client.get(photo_url(tenant, application)).status_code == 200
    login_verified_staff(client, staff(tenant, [BranchFactory(tenant=tenant)], "elsewhere@azersu.test"))
    assert client.get(photo_url(tenant, application)).status_code == 404
    unverified = staff(tenant, [branch], "unverified@azersu.test")
    client.force_login(unverified)
    assert client.get(photo_url(tenant, application)).status_code == 404


def test_on_site_check_due_date_counts_working_days(tenant, application):
    check = send_to_on_site_check(application=application, actor=None, reason="Seal")
    assert check.due_on >= datetime.date.today() + datetime.timedelta(days=5)
