"""Mismatch at intake, the fee and damages rules, the §2.8 path, and every bad input refused with
nothing half-saved."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from billing.models import Invoice
from meters.models import Meter, SupplySuspension
from portal.models import Notification
from removals import services
from removals.kinds import StageCode
from removals.models import Act, Channel, MeterRemoval, Reason, Result
from removals.tasks import render_act
from tests.removals.helpers import Cast, at

pytestmark = pytest.mark.django_db

INTAKE = datetime.date(2026, 4, 2)


@pytest.fixture
def cast():
    return Cast()


def taken_in(cast, removal, *, reading="1234.500", seals="A-1, A-2"):
    return services.record_intake(
        removal=removal, actor=cast.staff, intake_on=INTAKE, reading=Decimal(reading), seals=seals
    )


def verified(cast, removal, result=Result.TAMPERED):
    return services.record_verification(
        removal=removal,
        actor=cast.staff,
        result=result,
        verified_on=datetime.date(2026, 4, 3),
        certificate_number="N-1",
        valid_until=datetime.date(2031, 4, 3) if result == Result.SUITABLE else None,
    )


# -- mismatch at intake (§2.2) ---------------------------------------------------------------------


def test_intake_matching_the_removal_record_makes_no_special_record(cast):
    removal = taken_in(cast, cast.removed(cast.case()), seals="a-2,A-1")
    assert removal.intake_mismatch == ""
    assert not removal.acts.filter(kind=Act.Kind.INTAKE_MISMATCH).exists()


def test_seal_mismatch_at_intake_makes_the_special_record_and_notifies_branch_and_consumer(cast):
    removal = taken_in(cast, cast.removed(cast.case()), seals="A-1, B-9")
    assert "A-2" in removal.intake_mismatch and "B-9" in removal.intake_mismatch
    assert removal.acts.filter(kind=Act.Kind.INTAKE_MISMATCH).count() == 1
    recipients = set(
        Notification.objects.filter(template="removal_intake_mismatch").values_list("recipient", flat=True)
    )
    assert {"staff@azerigaz.test", "consumer@example.com", "+994501234567"} <= recipients


def test_reading_mismatch_at_intake_is_detected(cast):
    removal = taken_in(cast, cast.removed(cast.case()), reading="1240.000")
    assert "1240" in removal.intake_mismatch


# -- money ------------------------------------------------------------------------------------------


def test_tampering_brings_the_verification_fee_and_damages_from_the_price_list(cast):
    removal = verified(cast, taken_in(cast, cast.removed(cast.case())))
    assert removal.fee_invoice.total == Decimal("7.29")
    services.issue_acts(removal=removal, actor=cast.staff)
    invoice = services.charge_damages(removal=removal, actor=cast.staff)
    assert invoice.total == Decimal("255.00")  # 230 value + 25 costs
    assert invoice.payment_reference and invoice.account == removal.application.account
    removal.refresh_from_db()
    assert removal.application.stage == StageCode.DAMAGES


def test_periodic_verification_found_suitable_is_free(cast):
    removal = cast.case(reason=Reason.PERIODIC)
    removal = verified(cast, taken_in(cast, cast.removed(removal)), result=Result.SUITABLE)
    assert removal.fee_invoice is None
    assert Meter.objects.get(pk=removal.meter_id).verification_due_on == datetime.date(2031, 4, 3)


def test_verification_at_the_consumers_request_is_paid_even_when_suitable(cast):
    removal = cast.case(
        reason=Reason.CONSUMPTION_MISMATCH, channel=Channel.CONSUMER_REQUEST, requested_by_consumer=True
    )
    removal = verified(cast, taken_in(cast, cast.removed(removal)), result=Result.SUITABLE)
    assert removal.fee_invoice.total == Decimal("7.29")


def test_natural_disaster_case_pays_nothing_and_damages_are_refused(cast):
    removal = cast.case(natural_disaster=True)
    removal = verified(cast, taken_in(cast, cast.removed(removal)))
    assert removal.fee_invoice is None
    services.issue_acts(removal=removal, actor=cast.staff)
    with pytest.raises(ValidationError) as refused:
        services.charge_damages(removal=removal, actor=cast.staff)
    assert "natural disaster" in refused.value.messages[0]
    assert not Invoice.objects.filter(lines__service="meter_damages").exists()


# -- §2.8 -------------------------------------------------------------------------------------------


def test_unpaid_damages_warning_then_section_2_8_act_and_suspension_then_payment_and_restoration(cast):
    removal = verified(
        cast, taken_in(cast, cast.removed(cast.case(reason=Reason.MALFUNCTION, channel=Channel.CONSUMER_REQUEST)))
    )
    services.issue_acts(removal=removal, actor=cast.staff)
    invoice = services.charge_damages(removal=removal, actor=cast.staff)
    with pytest.raises(ValidationError):  # never without the warning first
        services.enforce_unpaid_damages(removal=removal, actor=cast.staff)
    late = datetime.date(2027, 1, 31)
    services.notice_overdue_stages(today=late)  # the beat task warns once the term is over
    removal.refresh_from_db()
    assert removal.damages_warned_on == late
    assert Notification.objects.filter(template="removal_damages_warning").exists()
    act = services.enforce_unpaid_damages(removal=removal, actor=cast.staff)
    assert act.kind == Act.Kind.REINSTALLATION
    assert SupplySuspension.objects.filter(meter=removal.meter, restored_at__isnull=True).exists()
    with pytest.raises(ValidationError):
        services.close_case(removal=removal, actor=cast.staff)
    services.record_damages_payment(
        removal=removal, actor=cast.staff, amount=invoice.total, paid_on=datetime.date(2027, 2, 1), external_id="BANK-1"
    )
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    services.restore_supply(removal=removal, actor=cast.staff, note="Damages paid, meter sealed again")
    services.close_case(removal=removal, actor=cast.staff)
    removal.application.refresh_from_db()
    assert removal.application.status == "executed" and removal.application.stage == StageCode.CLOSED


# -- bad input: refused, nothing half-saved -----------------------------------------------------------


def _snapshot(removal):
    removal = MeterRemoval.objects.get(pk=removal.pk)
    return (
        removal.removed_at,
        removal.intake_on,
        removal.result,
        removal.application.stage,
        Act.objects.count(),
        Invoice.objects.count(),
        Notification.objects.count(),
        SupplySuspension.objects.filter(restored_at__isnull=True).count(),
        Meter.objects.count(),
    )


@pytest.mark.parametrize("missing", ["reading", "seals"])
def test_removal_without_a_reading_or_seal_numbers_is_refused(cast, missing):
    removal = cast.case(reason=Reason.PERIODIC)
    before = _snapshot(removal)
    with pytest.raises(ValidationError):
        services.record_removal(
            removal=removal,
            actor=cast.staff,
            removed_at=at(2026, 3, 19),
            reading=None if missing == "reading" else Decimal("1"),
            seals="" if missing == "seals" else "A-1",
            consumer_present=True,
            bag_number="BAG-1",
        )
    assert _snapshot(removal) == before


def test_verification_result_before_intake_is_refused(cast):
    removal = cast.removed(cast.case())
    before = _snapshot(removal)
    with pytest.raises(ValidationError) as refused:
        verified(cast, removal)
    assert "intake" in refused.value.messages[0]
    assert _snapshot(removal) == before


def test_intake_date_before_removal_is_refused(cast):
    removal = cast.removed(cast.case())
    before = _snapshot(removal)
    with pytest.raises(ValidationError) as refused:
        services.record_intake(
            removal=removal,
            actor=cast.staff,
            intake_on=datetime.date(2026, 3, 18),
            reading=Decimal("1234.500"),
            seals="A-1, A-2",
        )
    assert "before the removal" in refused.value.messages[0]
    assert _snapshot(removal) == before


def test_act_for_a_case_without_a_verification_result_is_refused(cast):
    removal = taken_in(cast, cast.removed(cast.case()))
    before = _snapshot(removal)
    with pytest.raises(ValidationError):
        services.issue_acts(removal=removal, actor=cast.staff)
    assert _snapshot(removal) == before


def test_restoring_supply_without_saying_what_was_done_is_refused(cast):
    removal = cast.case()  # tampering on a field visit: supply suspended at once (§1.2)
    before = _snapshot(removal)
    assert before[7] == 1
    with pytest.raises(ValidationError):
        services.restore_supply(removal=removal, actor=cast.staff, note="  ")
    assert _snapshot(removal) == before


def test_a_replacement_meter_is_created_with_its_opening_reading(cast):
    removal = cast.case(reason=Reason.MODERNISATION)
    removal = services.record_removal(
        removal=removal,
        actor=cast.staff,
        removed_at=at(2026, 3, 19),
        reading=Decimal("10"),
        seals="A-1",
        consumer_present=False,
        bag_number="BAG-2",
        replacement=services.NewMeter(serial_number="NEW-1", model="G4 smart-card", opening_reading=Decimal("0.010")),
    )
    new = removal.replacement_meter
    assert new.account == removal.meter.account and new.initial_reading == Decimal("0.010")
    assert new.replaces == removal.meter and new.installed_on == datetime.date(2026, 3, 19)
    assert Meter.objects.get(pk=removal.meter_id).status == Meter.Status.REPLACED


# -- idempotent act rendering ---------------------------------------------------------------------------


def test_act_pdf_is_rendered_once(cast):
    removal = cast.removed(cast.case())
    act = removal.acts.get(kind=Act.Kind.REMOVAL)
    assert render_act(act.pk) == "rendered"
    name = Act.objects.get(pk=act.pk).pdf.name
    assert render_act(act.pk) == "exists"
    assert Act.objects.get(pk=act.pk).pdf.name == name
    assert Act.objects.get(pk=act.pk).pdf.read(4) == b"%PDF"


def test_acts_are_numbered_per_tenant_and_year(cast):
    first = cast.removed(cast.case()).acts.get()
    second = cast.removed(cast.case()).acts.get()
    assert first.number.endswith("-2026-00001") or first.number != second.number
    assert {first.number, second.number} == {
        f"AQZ-AKT-{first.issued_on.year}-00001",
        f"AQZ-AKT-{first.issued_on.year}-00002",
    }


def test_opening_a_case_twice_with_the_same_key_makes_one(cast):
    meter = cast.meter()
    args = {
        "account": meter.account,
        "meter": meter,
        "reason": Reason.LEAK,
        "channel": Channel.CONSUMER_REQUEST,
        "actor": cast.consumer,
        "idempotency_key": "a" * 32,
    }
    first, created = services.open_case(**args)
    again, created_again = services.open_case(**args)
    assert created and not created_again and first.pk == again.pk
