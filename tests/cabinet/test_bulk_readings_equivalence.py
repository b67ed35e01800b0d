"""The set-based Save and Submit (cabinet.services.saving_readings) give what the row-by-row path
gave (tests/cabinet/rowwise_reference.py): the same outcomes, period rows and readings, on a mix
of every case, in rounds of 3 meters so that the mix spans several rounds."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction

from cabinet.models import PeriodReading
from cabinet.services import saving_readings
from cabinet.services.period_readings import Entry
from meters.models import Reading
from portal.workdays import calendar_for
from tests.cabinet import rowwise_reference
from tests.cabinet.factories import linked_contract
from tests.cabinet.readings_support import water_meter, water_tenant
from tests.meters.factories import ReadingFactory

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 10, 7)
PERIOD = D(2026, 10, 1)


@pytest.fixture
def tenant(db):
    return water_tenant()


@pytest.fixture
def contract(tenant, user):
    return linked_contract(tenant, user, readings_deadline_day=8)


@pytest.fixture(autouse=True)
def small_rounds(monkeypatch):
    for module in ("period_readings", "saving_readings"):
        monkeypatch.setattr(f"cabinet.services.{module}.CHUNK_SIZE", 3)


def period_row(contract, meter, value, status, booked=None):
    return PeriodReading.objects.create(
        tenant=contract.tenant,
        contract=contract,
        meter=meter,
        period=PERIOD,
        value=Decimal(value),
        reading_date=D(2026, 10, 6),
        status=status,
        refusal_reason="old reason" if status == PeriodReading.Status.REFUSED else "",
        booked_reading=booked,
    )


def accepted(contract, meter, value):
    booked = ReadingFactory(meter=meter, value=Decimal(value), reading_date=D(2026, 10, 6), source="legal_entity")
    period_row(contract, meter, value, PeriodReading.Status.ACCEPTED, booked=booked)
    return booked


@pytest.fixture
def mix(contract):
    """An entry for each case the rules know, and a meter per case."""
    meters = {
        name: water_meter(contract, serial_number=name, previous="120")
        for name in (
            "new", "below", "fraction", "future", "before_previous", "over_draft", "over_refused",
            "unchanged", "corrected", "corrected_below", "accepted_unbooked", "superseded_meanwhile", "expired",
        )
    }  # fmt: skip
    meters["expired"].verification_due_on = D(2026, 1, 31)
    meters["expired"].save()
    period_row(contract, meters["over_draft"], "125", PeriodReading.Status.DRAFT)
    period_row(contract, meters["over_refused"], "100", PeriodReading.Status.REFUSED)
    accepted(contract, meters["unchanged"], "130")
    accepted(contract, meters["corrected"], "130")
    accepted(contract, meters["corrected_below"], "130")
    period_row(contract, meters["accepted_unbooked"], "130", PeriodReading.Status.ACCEPTED)
    staff_corrected = accepted(contract, meters["superseded_meanwhile"], "130")
    Reading.objects.filter(pk=staff_corrected.pk).update(status=Reading.Status.SUPERSEDED)
    values = {
        "new": ("131", TODAY), "below": ("119", TODAY), "fraction": ("131.5", TODAY), "future": ("131", D(2026, 10, 9)),
        "before_previous": ("131", D(2026, 9, 1)), "over_draft": ("132", TODAY), "over_refused": ("133", TODAY),
        "unchanged": ("130", D(2026, 10, 6)), "corrected": ("135", TODAY), "corrected_below": ("110", TODAY),
        "accepted_unbooked": ("140", TODAY), "superseded_meanwhile": ("141", TODAY), "expired": ("150", TODAY),
    }  # fmt: skip
    return [Entry(meters[name].pk, Decimal(value), day) for name, (value, day) in values.items()]


def snapshot():
    """What the database holds, without ids and times."""

    def reading(row):
        if row is None:
            return None
        return (row.meter.serial_number, row.value, row.reading_date, row.status, row.source, row.entered_by_id,
                reading(row.supersedes), row.photo.name)  # fmt: skip

    period_rows = sorted(
        (row.meter.serial_number, row.value, row.reading_date, row.status, row.refusal_reason, row.saved_by_id,
         row.flags, row.submitted_at is not None, reading(row.booked_reading))
        for row in PeriodReading.objects.all()
    )  # fmt: skip
    return period_rows, sorted(reading(row) for row in Reading.objects.all())


def rolled_back(run):
    """What ``run()`` returns and leaves in the database, then undone."""
    with transaction.atomic():
        result = run()
        state = snapshot()
        transaction.set_rollback(True)
    return result, state


def test_submitting_gives_what_the_row_by_row_path_gave(tenant, contract, user, mix):
    common = {"tenant": tenant, "contract": contract, "period": PERIOD, "entries": mix, "user": user, "today": TODAY}
    expected = rolled_back(lambda: rowwise_reference.submit_period_readings(**common))
    got = rolled_back(lambda: saving_readings.submit_period_readings(**common, calendar=calendar_for(tenant)))
    assert got[0] == expected[0]
    assert got[1] == expected[1]
    reasons = {outcome.reason for outcome in got[0]}
    assert "The accepted reading cannot be corrected here; ask the utility." in reasons
    assert "Only an accepted reading can be corrected; this one is “Superseded”." in reasons
    # new, over the draft, over the refused row, unchanged, corrected, expired
    assert sum(outcome.accepted for outcome in got[0]) == 6


def test_saving_drafts_gives_what_the_row_by_row_path_gave(tenant, contract, user, mix):
    common = {"tenant": tenant, "contract": contract, "period": PERIOD, "entries": mix, "user": user, "today": TODAY}
    expected = rolled_back(lambda: rowwise_reference.save_period_drafts(**common))
    got = rolled_back(lambda: saving_readings.save_period_drafts(**common))
    assert got == expected
    assert got[0] == 13 - 5  # the five accepted rows are kept as they are


def test_a_meter_twice_or_of_another_contract_is_refused_whole_as_before(tenant, contract, user, mix):
    common = {"tenant": tenant, "contract": contract, "period": PERIOD, "user": user, "today": TODAY}
    other = water_meter(linked_contract(tenant, user), serial_number="OTHER")
    for entries, message in (
        ([*mix, mix[0]], "Each meter may appear only once."),
        ([*mix, Entry(other.pk, Decimal("130"), TODAY)], "A meter is not on this contract."),
    ):
        before = snapshot()
        for service in (
            saving_readings.save_period_drafts,
            lambda **kw: saving_readings.submit_period_readings(**kw, calendar=calendar_for(tenant)),
        ):
            with pytest.raises(Exception) as error:
                service(**common, entries=entries)
            assert message in str(error.value)
        assert snapshot() == before
