"""Rejecting a W1 application from any admin page closes its submitted readings and on-site check:
the readings admin rejects through readings.services, every other admin page refuses the plain
status change and names the page where W1 is decided."""

import uuid
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.auth.models import Permission
from django.urls import reverse

from applications.models import Application, Status
from readings.models import OnSiteCheck, ReadingsApplication, SubmittedReading
from readings.services import ReadingLine, send_to_on_site_check, submit_readings
from tests.accounts.factories import UserFactory
from tests.meters.factories import account_with_history
from tests.portal.factories import StaffMembershipFactory, login_verified_staff
from tests.readings.helpers import YESTERDAY, jpeg_upload

pytestmark = pytest.mark.django_db

REASON = "The photo shows another meter."


@pytest.fixture
def reviewer(client, tenant, branch):
    """Staff of the branch who may see and change every application admin page."""
    membership = StaffMembershipFactory(
        tenant=tenant, user=UserFactory(email="reviewer@azersu.test", is_staff=True, preferred_language="en")
    )
    membership.branches.add(branch)
    membership.user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["applications", "readings", "cabinet"])
    )
    return login_verified_staff(client, membership.user)


@pytest.fixture
def application(tenant, branch, user):
    """A W1 application sent to an on-site check: its line is pending and the check open."""
    account = account_with_history(tenant, branch)
    meter = account.meters.get()
    application = submit_readings(
        tenant=tenant,
        account=account,
        applicant=user,
        lines=[
            ReadingLine(
                meter=meter,
                entered_serial=meter.serial_number,
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
    send_to_on_site_check(application=application, actor=None, reason="Seal differs")
    return application


def reject_on(client, model, application):
    opts = model._meta
    return client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        {"action": "reject", helpers.ACTION_CHECKBOX_NAME: [application.pk], "apply": "1", "reason": REASON},
        follow=True,
    )


def lines_and_checks(application):
    return (
        list(application.reading_lines.values_list("outcome", flat=True)),
        list(application.on_site_checks.values_list("status", flat=True)),
    )


def application_admins():
    """Every admin page of applications that offers a "reject" action, whatever kind it lists."""
    return [
        model
        for model, model_admin in admin.site._registry.items()
        if issubclass(model, Application) and "reject" in (model_admin.actions or [])
    ]


def test_rejecting_on_the_readings_admin_closes_the_lines_and_the_on_site_check(reviewer, application):
    reject_on(reviewer, ReadingsApplication, application)

    application.refresh_from_db()
    assert (application.status, application.decision_reason) == (Status.REJECTED, REASON)
    assert lines_and_checks(application) == ([SubmittedReading.Outcome.REJECTED], [OnSiteCheck.Status.DONE])


def test_the_generic_application_admin_refuses_and_points_to_the_readings_admin(reviewer, application):
    page = reject_on(reviewer, Application, application)

    application.refresh_from_db()
    assert application.status == Status.ON_SITE_CHECK
    assert lines_and_checks(application) == ([SubmittedReading.Outcome.PENDING], [OnSiteCheck.Status.OPEN])
    assert (
        f"{application.number}: Applications of this kind are decided under “Readings applications”; "
        "nothing was changed here."
    ) in page.content.decode()


@pytest.mark.parametrize("model", application_admins(), ids=lambda model: model._meta.label)
def test_no_admin_page_rejects_a_readings_application_and_leaves_its_lines_open(reviewer, application, model):
    reject_on(reviewer, model, application)

    application.refresh_from_db()
    if application.status == Status.REJECTED:
        assert lines_and_checks(application) == ([SubmittedReading.Outcome.REJECTED], [OnSiteCheck.Status.DONE])
    else:
        assert application.status == Status.ON_SITE_CHECK
        assert lines_and_checks(application) == ([SubmittedReading.Outcome.PENDING], [OnSiteCheck.Status.OPEN])


def test_every_application_admin_page_is_covered():
    # The generic queue, W1's review and the W4 requests: a new kind's admin joins the check above.
    labels = {model._meta.label for model in application_admins()}
    assert {"applications.Application", "readings.ReadingsApplication", "cabinet.RequestApplication"} <= labels
