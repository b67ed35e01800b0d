"""Payments received on a contract in the W4 cabinet, with running totals and the balance."""

import datetime

from billing.models import Payment
from tests.cabinet.billing_fixtures import make_invoice, make_payment, page_url

D = datetime.date


def test_payments_list_newest_first_with_running_totals_of_the_year(member, contract):
    account = contract.account
    invoice = make_invoice(account, D(2026, 1, 1), "100.00", number="UZE-INV-2026-000010")
    make_payment(account, D(2026, 2, 5), "60.00", invoice=invoice)
    make_payment(account, D(2026, 2, 20), "40.00", invoice=invoice, channel=Payment.Channel.ONLINE, method="Payme")
    make_payment(account, D(2025, 12, 1), "999.00")

    response = member.get(page_url(contract, "payments", "?year=2026"))

    rows = response.context["rows"]
    assert [(row.payment.paid_on, row.running_total) for row in rows] == [
        (D(2026, 2, 20), 100),
        (D(2026, 2, 5), 60),
    ]
    body = response.content.decode()
    assert "Payme" in body and "UZE-INV-2026-000010" in body
    assert "01.12.2025" not in body


def test_unpaid_invoices_show_a_debt(member, contract):
    account = contract.account
    make_invoice(account, D(2026, 1, 1), "150.00")
    make_payment(account, D(2026, 2, 5), "100.00")

    body = member.get(page_url(contract, "payments")).content.decode()

    assert "Debt: 50.00" in body


def test_overpayment_shows_a_credit(member, contract):
    account = contract.account
    make_invoice(account, D(2026, 1, 1), "80.00")
    make_payment(account, D(2026, 2, 5), "100.00")

    body = member.get(page_url(contract, "payments")).content.decode()

    assert "Credit: 20.00" in body
    assert "Debt" not in body
