"""Query counts of the cabinet pages that had no such test (issue #12, "Must show"): each page costs
the same queries for 1 and for 100 rows of what it lists. The other main pages have theirs next to
their tests (grep django_assert_max_num_queries / CaptureQueriesContext): W1 form, account page,
cabinet readings page, archive, My applications, billing history and current month, requests."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.urls_helpers import tenant_reverse
from tests.cabinet.billing_fixtures import make_invoice, make_payment, page_url
from tests.cabinet.factories import ContractFactory
from tests.meters.factories import MeterFactory, ReadingFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def queries_of(client, url):
    client.get(url)  # warmed up: the first request after a login stamps the session's activity
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_payments_cost_the_same_queries_for_1_and_100_payments(member, contract):
    account = contract.account
    invoice = make_invoice(account, D(2026, 1, 1), "100.00")
    make_payment(account, D(2026, 1, 1), "1.00", invoice=invoice)
    url = page_url(contract, "payments", "?year=2026")
    one = queries_of(member, url)
    for day in range(1, 100):  # one a day: the fixture's external id is the account, date and amount
        make_payment(account, D(2026, 1, 1) + datetime.timedelta(days=day), "1.00", invoice=invoice)

    assert queries_of(member, url) <= one


def test_the_monthly_report_costs_the_same_queries_for_1_and_100_meters(member, contract):
    account = contract.account
    make_invoice(account, D(2026, 3, 1), "300.00")

    def metered(number):
        meter = MeterFactory(account=account, kind="electricity", serial_number=f"UZ-EL-P{number}")
        ReadingFactory(meter=meter, value=Decimal("1000"), reading_date=D(2026, 2, 26))
        ReadingFactory(meter=meter, value=Decimal("1350"), reading_date=D(2026, 3, 26))

    metered(0)
    url = page_url(contract, "report", "?period=2026-03")
    one = queries_of(member, url)
    for number in range(1, 100):
        metered(number)

    assert queries_of(member, url) <= one


def test_my_contracts_cost_the_same_queries_for_1_and_100_contracts(member, tenant, contract, organization):
    url = tenant_reverse(tenant, "cabinet:contracts")
    one = queries_of(member, url)
    for number in range(99):
        ContractFactory(tenant=tenant, organization=organization, number=f"PERF-{number}")

    assert queries_of(member, url) <= one
