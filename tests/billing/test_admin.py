"""Staff admin of tariffs, invoices and payments: scoped to the tenant, writes through the services."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from billing import invoicing, services
from billing.models import Invoice, Payment, Tariff
from tests.billing.conftest import book, make_tariff
from tests.portal.factories import StaffMembershipFactory


@pytest.fixture
def staff(tenant, client, otp_login):
    user = StaffMembershipFactory(tenant=tenant).user
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="billing"))
    otp_login(client, user)
    return user


@pytest.fixture
def invoice(application, meter, water_tariffs, freeze_today):
    freeze_today(datetime.date(2026, 10, 5))
    book(meter, "100", datetime.date(2026, 9, 1))
    reading = book(meter, "110", datetime.date(2026, 10, 1))
    return invoicing.form_invoice_for_application(application=application, booked_readings=[reading])


def test_staff_see_only_their_tenants_tariffs(client, staff, tenant, other_tenant):
    make_tariff(tenant, service="water")
    foreign = make_tariff(other_tenant, service="electricity")
    foreign.name = "Foreign electricity"
    foreign.save()

    content = client.get("/admin/billing/tariff/").content.decode()

    assert "water 2021-02-01" in content
    assert "Foreign electricity" not in content
    assert client.get(f"/admin/billing/tariff/{foreign.pk}/change/").status_code == 302  # "does not exist" redirect


def test_staff_add_a_tiered_tariff_with_its_source(client, staff, tenant):
    response = client.post(
        "/admin/billing/tariff/add/",
        {
            "name": "Electricity, households",
            "service": "electricity",
            "category": "household",
            "unit": "kWh",
            "valid_from": "2025-01-01",
            "vat_rate": "18",
            "prices_include_vat": "on",
            "source": "Tariff Council Decision No. 19, 2024-12-29",
            "blocks-TOTAL_FORMS": "3",
            "blocks-INITIAL_FORMS": "0",
            "blocks-MIN_NUM_FORMS": "0",
            "blocks-MAX_NUM_FORMS": "1000",
            "blocks-0-up_to": "200",
            "blocks-0-price": "0.084",
            "blocks-1-up_to": "300",
            "blocks-1-price": "0.10",
            "blocks-2-up_to": "",
            "blocks-2-price": "0.15",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    tariff = Tariff.objects.get(name="Electricity, households")
    assert tariff.tenant == tenant
    assert services.charge(consumption=Decimal("350"), tariff=tariff)[-1] == (Decimal("50"), Decimal("0.1500"))


def test_the_invoice_page_shows_its_lines_read_only(client, staff, invoice):
    content = client.get(f"/admin/billing/invoice/{invoice.pk}/change/").content.decode()

    assert invoice.number in content and "Water supply" in content
    assert 'name="total"' not in content


def test_re_render_action_renders_the_pdf_again_without_a_second_email(
    client, staff, invoice, django_capture_on_commit_callbacks
):
    from billing import tasks
    from portal.models import Notification

    tasks.render_invoice_pdf.apply(args=[invoice.pk])
    invoice.refresh_from_db()
    assert invoice.pdf.name, "the first rendering produced no PDF"
    with invoice.pdf.storage.open(invoice.pdf.name, "wb") as handle:
        handle.write(b"a PDF with the old branding")

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/billing/invoice/", {"action": "rerender_pdf", "_selected_action": [invoice.pk]})

    invoice.refresh_from_db()
    with invoice.pdf.open("rb") as handle:
        assert handle.read().startswith(b"%PDF")
    assert Notification.objects.filter(template="invoice_ready").count() == 1


def test_staff_record_a_payment_that_marks_the_invoice_paid(client, staff, invoice):
    response = client.post(
        "/admin/billing/payment/add/",
        {
            "account": invoice.account.pk,
            "invoice": invoice.pk,
            "amount": str(invoice.total),
            "paid_on": "2026-10-07",
            "method": "Bank transfer",
            "external_id": "BANK-777",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    payment = Payment.objects.get(external_id="BANK-777")
    assert payment.recorded_by == staff and payment.tenant == invoice.tenant
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID


def test_a_payment_id_already_booked_is_refused_in_the_form(client, staff, account):
    services.record_payment(account=account, amount=Decimal("5"), paid_on=datetime.date(2026, 10, 1), external_id="X1")

    response = client.post(
        "/admin/billing/payment/add/",
        {"account": account.pk, "amount": "5", "paid_on": "2026-10-07", "external_id": "X1"},
    )

    assert response.status_code == 200
    assert "already booked" in response.content.decode()
    assert Payment.objects.count() == 1
