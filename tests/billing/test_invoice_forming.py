"""Forming the invoice when an application's readings are booked."""

import datetime
from decimal import Decimal

import pytest

from billing import invoicing, numbering, services
from billing.invoicing import form_invoice_for_application
from billing.models import Invoice
from meters.models import Meter, Reading
from tests.applications.factories import ApplicationFactory
from tests.billing.conftest import book, make_tariff
from tests.meters.factories import MeterFactory


@pytest.fixture(autouse=True)
def today(freeze_today):
    return freeze_today(datetime.date(2026, 10, 5))


def test_water_consumption_since_the_previous_accepted_reading_is_billed_for_water_and_wastewater(
    application, meter, water_tariffs
):
    book(meter, "100.000", datetime.date(2026, 9, 1))
    book(meter, "90.000", datetime.date(2026, 8, 1))
    reading = book(meter, "112.345", datetime.date(2026, 10, 1))

    invoice = form_invoice_for_application(application=application, booked_readings=[reading])

    lines = {line.service: line for line in invoice.lines.all()}
    assert lines["water"].quantity == Decimal("12.345")
    assert lines["water"].amount == Decimal("8.64")  # 12.345 × 0.70 = 8.6415
    assert lines["wastewater"].amount == Decimal("3.70")  # 12.345 × 0.30 = 3.7035
    assert invoice.total == Decimal("12.34")
    assert invoice.net_total + invoice.vat_total == invoice.total
    assert (invoice.period_start, invoice.period_end) == (datetime.date(2026, 9, 1), datetime.date(2026, 10, 1))


def test_a_superseded_reading_is_not_the_previous_one(application, meter, water_tariffs):
    book(meter, "100.000", datetime.date(2026, 9, 1))
    book(meter, "105.000", datetime.date(2026, 9, 15), status=Reading.Status.SUPERSEDED)
    reading = book(meter, "110.000", datetime.date(2026, 10, 1))

    invoice = form_invoice_for_application(application=application, booked_readings=[reading])

    assert invoice.lines.get(service="water").quantity == Decimal("10.000")


def test_a_meter_that_replaced_another_counts_from_its_reading_at_installation(application, account, water_tariffs):
    old = MeterFactory(account=account, serial_number="OLD-1", status=Meter.Status.REPLACED)
    book(old, "950.000", datetime.date(2026, 8, 1))
    new = MeterFactory(
        account=account,
        serial_number="NEW-1",
        replaces=old,
        installed_on=datetime.date(2026, 8, 20),
        initial_reading=Decimal("3.000"),
    )
    reading = book(new, "8.500", datetime.date(2026, 10, 1))

    invoice = form_invoice_for_application(application=application, booked_readings=[reading])

    water = invoice.lines.get(service="water")
    assert water.quantity == Decimal("5.500")
    assert invoice.period_start == datetime.date(2026, 8, 20)


def test_the_tariff_in_force_on_the_reading_date_prices_the_line(application, meter, tenant):
    make_tariff(
        tenant, blocks=((None, "0.50"),), valid_from=datetime.date(2020, 1, 1), valid_to=datetime.date(2026, 9, 30)
    )
    make_tariff(tenant, blocks=((None, "0.80"),), valid_from=datetime.date(2026, 10, 1))
    book(meter, "100", datetime.date(2026, 8, 1))
    reading = book(meter, "110", datetime.date(2026, 9, 30))

    invoice = form_invoice_for_application(application=application, booked_readings=[reading])

    assert invoice.lines.get(service="water").unit_price == Decimal("0.50")


def test_an_application_already_invoiced_returns_its_invoice(application, meter, water_tariffs):
    book(meter, "100", datetime.date(2026, 9, 1))
    reading = book(meter, "110", datetime.date(2026, 10, 1))

    first = form_invoice_for_application(application=application, booked_readings=[reading])
    second = form_invoice_for_application(application=application, booked_readings=[reading])

    assert first == second
    assert Invoice.objects.count() == 1


def test_invoices_get_distinct_gap_free_numbers_and_checkable_payment_references(
    tenant, account, user, meter, water_tariffs
):
    book(meter, "100", datetime.date(2026, 8, 1))
    invoices = []
    for index, value in enumerate(["110", "120", "130"]):
        application = ApplicationFactory(tenant=tenant, account=account, applicant=user, language="az")
        reading = book(meter, value, datetime.date(2026, 9, 1) + datetime.timedelta(days=index))
        invoices.append(form_invoice_for_application(application=application, booked_readings=[reading]))

    assert [invoice.number for invoice in invoices] == [
        "AZS-INV-2026-000001",
        "AZS-INV-2026-000002",
        "AZS-INV-2026-000003",
    ]
    assert invoices[0].payment_reference == "7700123" + "26" + "000001" + invoices[0].payment_reference[-1]
    assert len({invoice.payment_reference for invoice in invoices}) == 3
    assert all(numbering.is_valid_reference(invoice.payment_reference) for invoice in invoices)


def test_a_mistyped_payment_reference_fails_its_check_digit():
    reference = numbering.payment_reference("7700123", 2026, 1)
    mistyped = reference[:3] + str((int(reference[3]) + 1) % 10) + reference[4:]

    assert numbering.is_valid_reference(reference)
    assert not numbering.is_valid_reference(mistyped)


def test_the_invoice_is_due_on_the_10th_of_next_month_or_the_next_working_day(tenant):
    # 10 October 2026 is a Saturday: the term moves to Monday the 12th.
    assert numbering.due_date(tenant, datetime.date(2026, 9, 14)) == datetime.date(2026, 10, 12)
    assert numbering.due_date(tenant, datetime.date(2026, 11, 30)) == datetime.date(2026, 12, 10)


def test_the_invoice_keeps_the_applications_language_and_the_tenants_currency(application, meter, water_tariffs):
    application.language = "ru"
    application.save()
    book(meter, "100", datetime.date(2026, 9, 1))
    reading = book(meter, "101", datetime.date(2026, 10, 1))

    invoice = form_invoice_for_application(application=application, booked_readings=[reading])

    assert (invoice.language, invoice.currency) == ("ru", "AZN")


def test_without_any_tariff_no_invoice_is_formed(application, meter):
    reading = book(meter, "101", datetime.date(2026, 10, 1))

    assert form_invoice_for_application(application=application, booked_readings=[reading]) is None
    assert not Invoice.objects.exists()


def test_the_pdf_task_is_queued_after_commit(
    application, meter, water_tariffs, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(invoicing, "publish_render", queued.append)
    reading = book(meter, "101", datetime.date(2026, 10, 1))

    with django_capture_on_commit_callbacks(execute=True):
        invoice = form_invoice_for_application(application=application, booked_readings=[reading])
        assert queued == []

    assert queued == [invoice.pk]


def test_a_broker_failure_never_breaks_the_acceptance(monkeypatch, application):
    from billing import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(tasks.render_invoice_pdf, "apply_async", broker_down)

    services.publish_render(12345)  # does not raise
