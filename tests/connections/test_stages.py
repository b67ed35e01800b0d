"""The stages after sending, each with its clock on the Azerbaijani calendar of 2026 (Novruz and
Ramadan Bayram close 20–30 March), each refusing a step out of order; the fee invoice from the
frozen quote, the payment that starts the connection term, the technical-conditions PDF and the
connection that opens the account with its meter."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from applications import clocks, services
from applications.models import Attachment, StageClock, Status
from billing.models import Invoice, Payment
from connections.fees import ApplicantKind, ObjectKind, Term
from connections.models import ConnectionRequest, ConnectionSettings, FeeRule
from connections.services import stages
from connections.services.documents import store_conditions_pdf
from meters.models import Meter, SubscriberAccount
from portal.models import Notification
from tests.connections.conftest import submit

pytestmark = pytest.mark.django_db

BEFORE_NOVRUZ = datetime.date(2026, 3, 19)  # Thursday; 20–30 March are days off


@pytest.fixture
def sent(azerishiq, citizen, district, parcel, freeze_today):
    freeze_today(datetime.date(2026, 3, 16))
    return submit(azerishiq, citizen, district)


def through_invoice(application, reviewer):
    stages.start_review(application=application, actor=reviewer)
    return stages.issue_fee_invoice(application=application, actor=reviewer)


def paid(application, reviewer, freeze_today, on=BEFORE_NOVRUZ):
    through_invoice(application, reviewer)
    freeze_today(on)
    stages.record_fee_payment(application=application, actor=reviewer, paid_on=on, external_id=f"BANK-{application.pk}")
    return StageClock.objects.get(application=application, stage="paid")


def test_registration_enters_the_first_stage_without_a_clock(sent):
    clock = StageClock.objects.get(application=sent)
    assert (clock.stage, clock.started_on, clock.due_on) == ("registered", datetime.date(2026, 3, 16), None)


def test_the_review_has_its_working_days_over_novruz(sent, reviewer, freeze_today):
    freeze_today(BEFORE_NOVRUZ)
    stages.start_review(application=sent, actor=reviewer)
    sent.refresh_from_db()
    assert sent.status == Status.IN_REVIEW
    # 19 March + 5 working days: 20–30 March off, so 31 March, 1, 2, 3 and 6 April.
    assert StageClock.objects.get(application=sent, stage="review").due_on == datetime.date(2026, 4, 6)


@pytest.mark.parametrize(
    ("applicant_kind", "term", "due"),
    [
        (ApplicantKind.HOUSEHOLD, Term.STANDARD, datetime.date(2026, 5, 1)),  # 24 working days
        (ApplicantKind.ENTREPRENEUR, Term.STANDARD, datetime.date(2026, 4, 27)),  # 20
        (ApplicantKind.HOUSEHOLD, Term.URGENT, datetime.date(2026, 4, 15)),  # 12
    ],
)
def test_the_connection_term_starts_on_the_payment(
    azerishiq, citizen, district, parcel, reviewer, freeze_today, applicant_kind, term, due
):
    freeze_today(datetime.date(2026, 3, 16))
    application = submit(azerishiq, citizen, district, applicant_kind=applicant_kind, term=term)
    clock = paid(application, reviewer, freeze_today)
    assert clock.started_on == BEFORE_NOVRUZ
    assert clock.due_on == due
    application.refresh_from_db()
    assert application.due_on == due


def test_the_terms_are_the_tenants_own(azerishiq, citizen, district, parcel, reviewer, freeze_today):
    ConnectionSettings.objects.create(tenant=azerishiq, household_days=10)
    freeze_today(datetime.date(2026, 3, 16))
    application = submit(azerishiq, citizen, district)
    assert paid(application, reviewer, freeze_today).due_on == datetime.date(2026, 4, 13)


def test_waiting_for_the_applicant_pauses_the_review_clock(sent, reviewer, freeze_today):
    freeze_today(datetime.date(2026, 4, 1))
    stages.start_review(application=sent, actor=reviewer)
    assert StageClock.objects.get(application=sent, stage="review").due_on == datetime.date(2026, 4, 8)
    services.transition(
        application=sent, to_status=Status.WAITING_FOR_APPLICANT, actor=reviewer, note="Send the extract"
    )
    freeze_today(datetime.date(2026, 4, 6))  # three working days later
    stages.resume_review(application=sent, actor=reviewer)
    assert StageClock.objects.get(application=sent, stage="review").due_on == datetime.date(2026, 4, 13)
    with pytest.raises(ValidationError):
        stages.resume_review(application=sent, actor=reviewer)


def test_the_fee_invoice_is_a_billing_invoice_of_the_frozen_quote(sent, reviewer, azerishiq):
    invoice = through_invoice(sent, reviewer)
    assert isinstance(invoice, Invoice)
    assert invoice.total == Decimal("320.00") and invoice.application == sent
    assert invoice.payment_reference and invoice.payment_reference.isdigit()
    assert sum(line.amount for line in invoice.lines.all()) == invoice.total
    assert invoice.net_total + invoice.vat_total == invoice.total
    account = invoice.account
    assert len(account.code) == 15 and not account.is_active
    messages = Notification.objects.filter(template="connections_fee_invoice")
    assert {m.channel for m in messages} == {"email", "sms"}
    assert all(invoice.payment_reference in m.body for m in messages)


def test_the_quote_stays_frozen_after_the_schedule_changes(sent, reviewer):
    FeeRule.objects.filter(schedule__tenant=sent.tenant).update(per_kw_amount=Decimal("999"))
    request = ConnectionRequest.objects.get(application=sent)
    assert request.frozen_quote().total == Decimal("320.00")
    assert through_invoice(sent, reviewer).total == Decimal("320.00")


def test_an_apartment_with_general_conditions_pays_nothing_and_its_term_starts_at_once(
    azerishiq, citizen, district, parcel, reviewer, freeze_today
):
    freeze_today(datetime.date(2026, 3, 16))
    application = submit(
        azerishiq, citizen, district, object_kind=ObjectKind.APARTMENT, building_has_general_conditions=True
    )
    assert ConnectionRequest.objects.get(application=application).quote_total == 0
    freeze_today(BEFORE_NOVRUZ)
    assert through_invoice(application, reviewer) is None
    application.refresh_from_db()
    assert application.stage == "paid"
    assert not Invoice.objects.exists()


def test_the_payment_is_booked_on_the_invoice(sent, reviewer, freeze_today):
    paid(sent, reviewer, freeze_today)
    payment = Payment.objects.get()
    assert payment.invoice.status == Invoice.Status.PAID
    assert payment.amount == Decimal("320.00") and payment.paid_on == BEFORE_NOVRUZ


def test_a_payment_dated_in_the_future_is_refused(sent, reviewer, freeze_today):
    through_invoice(sent, reviewer)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        stages.record_fee_payment(application=sent, actor=reviewer, paid_on=datetime.date(2026, 3, 20), external_id="X")
    assert not Payment.objects.exists()


@pytest.mark.parametrize("step", ["invoice", "payment", "conditions", "connect"])
def test_a_step_out_of_order_is_refused(sent, reviewer, step):
    calls = {
        "invoice": lambda: stages.issue_fee_invoice(application=sent, actor=reviewer),
        "payment": lambda: stages.record_fee_payment(
            application=sent, actor=reviewer, paid_on=datetime.date(2026, 3, 16), external_id="X"
        ),
        "conditions": lambda: stages.issue_conditions(application=sent, actor=reviewer, text="TC"),
        "connect": lambda: stages.connect(
            application=sent, actor=reviewer, connected_on=datetime.date(2026, 3, 16), meter_serial="M1"
        ),
    }
    with pytest.raises(ValidationError, match="does not follow the application's current stage"):
        calls[step]()
    sent.refresh_from_db()
    assert sent.stage == "registered"


def test_the_conditions_end_on_the_connection_date_and_their_pdf_is_rendered_once(
    sent, reviewer, freeze_today, django_capture_on_commit_callbacks
):
    paid(sent, reviewer, freeze_today)
    freeze_today(datetime.date(2026, 4, 2))
    with django_capture_on_commit_callbacks(execute=True):
        stages.issue_conditions(application=sent, actor=reviewer, text="Cable 4×16 mm² from pole 3.")
    request = ConnectionRequest.objects.get(application=sent)
    assert request.conditions_pdf.name.endswith(".pdf")
    assert request.conditions_pdf.open("rb").read(5) == b"%PDF-"
    clock = StageClock.objects.get(application=sent, stage="conditions")
    assert clock.due_on == StageClock.objects.get(application=sent, stage="paid").due_on
    name = request.conditions_pdf.name
    assert store_conditions_pdf(request.pk) is False  # a second run (a retry, the sweep) changes nothing
    request.refresh_from_db()
    assert request.conditions_pdf.name == name
    assert Attachment.objects.filter(application=sent).count() == 1


def test_connecting_opens_the_account_with_its_meter_once(sent, reviewer, freeze_today, citizen):
    paid(sent, reviewer, freeze_today)
    freeze_today(datetime.date(2026, 4, 2))
    stages.issue_conditions(application=sent, actor=reviewer, text="TC")
    freeze_today(datetime.date(2026, 4, 10))
    for _twice in range(2):
        stages.connect(
            application=sent, actor=reviewer, connected_on=datetime.date(2026, 4, 9), meter_serial="AZI-M-0001"
        )
    sent.refresh_from_db()
    assert sent.status == Status.EXECUTED and sent.stage == "connected"
    account = SubscriberAccount.objects.get()
    assert account.is_active and list(account.users.all()) == [citizen]
    meter = Meter.objects.get()
    assert (meter.account, meter.serial_number, meter.kind) == (account, "AZI-M-0001", Meter.Kind.ELECTRICITY)
    assert meter.installed_on == datetime.date(2026, 4, 9)
    messages = Notification.objects.filter(template="connections_connected")
    assert {m.channel for m in messages} == {"email", "sms"}
    assert all(account.code in m.body for m in messages)
    rows = clocks.timeline(sent)
    assert [row.state for row in rows] == ["done"] * 6 or rows[-1].state in {"done", "current"}


def test_refusal_reaches_the_applicant_with_its_reason(sent, reviewer):
    stages.start_review(application=sent, actor=reviewer)
    stages.refuse(application=sent, actor=reviewer, reason="The house is outside the 0.4 kV network.")
    sent.refresh_from_db()
    assert sent.status == Status.REJECTED
    assert sent.decision_reason == "The house is outside the 0.4 kV network."
    messages = Notification.objects.filter(template="application_status_changed")
    assert {m.channel for m in messages} == {"email", "sms"}
    assert "outside the 0.4 kV network" in messages.get(channel="email").body
    with pytest.raises(ValidationError):
        stages.refuse(application=sent, actor=reviewer, reason="again")


def test_staff_change_the_distance_only_with_a_reason(sent, reviewer):
    with pytest.raises(ValidationError, match="reason"):
        stages.override_distance(application=sent, actor=reviewer, distance_m=120, reason=" ")
    stages.override_distance(application=sent, actor=reviewer, distance_m=120, reason="Measured on site")
    request = ConnectionRequest.objects.get(application=sent)
    assert request.distance_shown_m == 120 and request.distance_m != 120
    assert request.distance_override_by == reviewer and request.distance_override_at is not None
