"""The status machine: allowed and refused transitions, reasons, the timeline, notices and due dates."""

import datetime
import pathlib

import pytest
from django.core.exceptions import ValidationError

from applications import kinds, services
from applications.models import ApplicationEvent, ApplicationKind, Status
from applications.selectors import public_timeline
from portal.models import Notification
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationKindFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return UserFactory(email="reviewer@azersu.example", full_name="Elnur Huseynov", is_staff=True)


@pytest.fixture
def application(submit):
    return submit(contact_phone="+994501234567", language="ru")[0]


def test_staff_start_the_review_and_the_timeline_records_it(application, staff):
    services.transition(application=application, to_status=Status.IN_REVIEW, actor=staff)

    application.refresh_from_db()
    event = application.events.last()
    assert application.status == Status.IN_REVIEW
    assert (event.from_status, event.to_status, event.actor) == (Status.SUBMITTED, Status.IN_REVIEW, staff)


def test_a_closed_application_cannot_be_reopened_and_the_error_names_both_statuses(application, staff):
    services.transition(application=application, to_status=Status.EXECUTED, actor=staff, notify=False)

    with pytest.raises(ValidationError) as refused:
        services.transition(application=application, to_status=Status.IN_REVIEW, actor=staff)

    assert refused.value.messages == ["An application cannot go from “Executed” to “In review”."]
    application.refresh_from_db()
    assert application.status == Status.EXECUTED
    assert application.events.count() == 2


@pytest.mark.parametrize("status", [Status.REJECTED, Status.WAITING_FOR_APPLICANT, Status.ON_SITE_CHECK])
def test_a_transition_the_applicant_must_understand_needs_a_reason(application, staff, status):
    with pytest.raises(ValidationError) as refused:
        services.transition(application=application, to_status=Status.IN_REVIEW, actor=staff)
        services.transition(application=application, to_status=status, actor=staff, note="   ")

    assert refused.value.code == "reason_required"
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW


def test_a_rejection_closes_the_application_and_keeps_the_reason(application, staff):
    services.transition(
        application=application, to_status=Status.REJECTED, actor=staff, note="The photo is unreadable."
    )

    application.refresh_from_db()
    assert application.status == Status.REJECTED
    assert application.decision_reason == "The photo is unreadable."
    assert application.closed_at is not None
    assert application.events.last().note == "The photo is unreadable."


def test_the_applicant_is_told_of_a_rejection_by_email_and_sms_in_his_language(application, staff, tenant):
    services.transition(
        application=application, to_status=Status.REJECTED, actor=staff, note="The photo is unreadable."
    )

    email = Notification.objects.get(channel=Notification.Channel.EMAIL)
    sms = Notification.objects.get(channel=Notification.Channel.SMS)
    assert (email.recipient, email.language, email.template) == (
        "aysel@example.com",
        "ru",
        "application_status_changed",
    )
    assert application.number in email.subject
    assert "The photo is unreadable." in email.body
    assert f"http://127.0.0.1:8000/azersu/applications/{application.number}/" in email.body
    assert sms.recipient == "+994501234567"
    assert application.number in sms.body


def test_a_request_for_more_information_is_sent_but_the_start_of_a_review_is_not(application, staff):
    services.transition(application=application, to_status=Status.IN_REVIEW, actor=staff)
    assert not Notification.objects.exists()

    services.transition(
        application=application, to_status=Status.WAITING_FOR_APPLICANT, actor=staff, note="Send a sharper photo."
    )

    assert Notification.objects.filter(
        channel=Notification.Channel.EMAIL, body__contains="Send a sharper photo."
    ).exists()


def test_execution_without_notice_leaves_the_result_mail_to_the_caller(application, staff):
    services.transition(application=application, to_status=Status.EXECUTED, actor=staff, notify=False)

    assert not Notification.objects.exists()


def test_without_a_contact_email_the_notice_goes_to_the_account_email(submit, staff, user):
    application, _ = submit(contact_email="")

    services.transition(application=application, to_status=Status.REJECTED, actor=staff, note="Duplicate.")

    assert Notification.objects.get().recipient == user.email


def test_the_applicant_may_withdraw_a_submitted_application(application, user):
    services.withdraw(application=application, actor=user)

    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert application.events.last().actor == user


def test_nobody_else_may_withdraw_it(application, other_user):
    with pytest.raises(ValidationError):
        services.withdraw(application=application, actor=other_user)


def test_an_application_in_review_can_no_longer_be_withdrawn(application, user, staff):
    services.transition(application=application, to_status=Status.IN_REVIEW, actor=staff)

    with pytest.raises(ValidationError):
        services.withdraw(application=application, actor=user)


def test_assignment_and_internal_comments_stay_off_the_applicants_timeline(application, staff):
    services.assign(application=application, assignee=staff, actor=staff)
    services.add_comment(application=application, actor=staff, note="Call the branch first.", public=False)
    services.add_comment(application=application, actor=staff, note="We are checking your meter.", public=True)

    application.refresh_from_db()
    timeline = public_timeline(application)
    assert application.assigned_to == staff
    assert application.events.filter(kind=ApplicationEvent.Kind.ASSIGNMENT).get().public is False
    assert [(entry.what, entry.who, entry.note) for entry in timeline] == [
        ("Submitted", "You", ""),
        ("Comment", "Utility staff", "We are checking your meter."),
    ]


def test_due_date_counts_working_days_and_skips_the_weekend(submit, freeze_today, tenant):
    ApplicationKindFactory(tenant=tenant, code="claim", due_working_days=1)
    ApplicationKindFactory(tenant=tenant, code="limit_change", due_working_days=5)
    freeze_today(datetime.date(2026, 2, 6))  # a Friday

    next_day, _ = submit(kind_code="claim")
    in_a_week, _ = submit(kind_code="limit_change")

    assert next_day.due_on == datetime.date(2026, 2, 9)  # Monday
    assert in_a_week.due_on == datetime.date(2026, 2, 13)  # the next Friday


def test_due_date_skips_a_public_holiday(submit, freeze_today, tenant):
    ApplicationKindFactory(tenant=tenant, code="claim", due_working_days=1)
    # Friday 6 November 2026: Victory Day falls on Sunday the 8th and is moved to Tuesday the 10th,
    # Monday the 9th is National Flag Day.
    freeze_today(datetime.date(2026, 11, 6))

    application, _ = submit(kind_code="claim")

    assert application.due_on == datetime.date(2026, 11, 11)


def test_a_kind_staff_have_not_set_up_is_created_with_its_default_term(submit, tenant, plain_kind):
    application, _ = submit(kind_code=plain_kind.code)

    kind = ApplicationKind.objects.get(tenant=tenant, code=plain_kind.code)
    assert application.kind == kind
    assert (kind.name, kind.due_working_days) == ("Plain request", 7)


def test_the_default_term_of_a_kind_is_the_one_its_app_registered(submit, tenant):
    application, _ = submit(kind_code="meter_readings")

    assert (application.kind.name, application.kind.due_working_days) == ("Meter readings", 5)


def test_a_code_no_app_registered_is_refused(submit, tenant):
    # A typo, or the code of a workflow that is not installed, must not open applications.
    for code in ("typo", "grid_connectoin"):
        with pytest.raises(kinds.UnknownKind):
            submit(kind_code=code)

    assert not ApplicationKind.objects.filter(tenant=tenant).exists()


def test_the_engine_holds_no_facts_of_the_workflows():
    # W2 (grid connection) and W3 (meter removal) register their kinds from their own apps.
    engine = pathlib.Path(kinds.__file__).parent
    sources = [path for path in engine.rglob("*.py") if "migrations" not in path.parts]
    assert sources
    for path in sources:
        text = path.read_text()
        assert "grid_connection" not in text and "meter_removal" not in text, path
    # Both register from their own apps, with their stages.
    assert kinds.find("grid_connection").payload_model == "connections.ConnectionRequest"
    assert kinds.find("meter_removal").stages  # registered by removals.apps, not by the engine


def test_a_kind_may_count_its_term_its_own_way_and_from_a_later_event(submit, tenant, freeze_today):
    freeze_today(datetime.date(2026, 2, 6))  # a Friday
    kinds.register(
        kinds.Kind(
            code="counted_from_payment",
            label="Counted from payment",
            default_term=3,
            term_starts="payment",
            due_on=lambda *, tenant, kind, branch, start: start + datetime.timedelta(days=kind.due_working_days),
        )
    )
    try:
        application, _ = submit(kind_code="counted_from_payment")
        assert application.due_on == datetime.date(2026, 2, 9)

        services.start_term(application=application, start=datetime.date(2026, 3, 2))

        application.refresh_from_db()
        assert application.due_on == datetime.date(2026, 3, 5)
    finally:
        kinds.unregister("counted_from_payment")


def test_a_kind_switched_off_in_the_admin_is_refused(submit, tenant):
    ApplicationKindFactory(tenant=tenant, code="claim", is_active=False)

    with pytest.raises(ValidationError):
        submit(kind_code="claim")


def test_confirm_runs_what_the_kind_registered_and_refuses_a_kind_without_one(submit, staff, plain_kind):
    plain, _ = submit(kind_code=plain_kind.code)

    with pytest.raises(ValidationError, match="not confirmed this way"):
        services.confirm(application=plain, actor=staff)

    claim, _ = submit(kind_code="claim")
    services.confirm(application=claim, actor=staff)
    claim.refresh_from_db()
    assert claim.status == Status.EXECUTED
