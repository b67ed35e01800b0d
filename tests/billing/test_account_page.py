"""The citizen's accounts and the account page: meters, balance, invoices, payments, chart."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing import charts, services
from billing.models import Invoice
from meters.models import Meter
from portal.dates import add_months
from tests.billing.conftest import book
from tests.meters.factories import MeterFactory, SubscriberAccountFactory

TODAY = datetime.date(2026, 10, 15)


@pytest.fixture(autouse=True)
def today(freeze_today):
    freeze_today(TODAY)


def monthly_readings(meter, months=24, step="10"):
    """One accepted reading on the 1st of each of the last ``months`` months, growing by ``step``."""
    first = add_months(TODAY.replace(day=1), -(months - 1))
    for offset in range(months):
        book(meter, str(Decimal(step) * (offset + 1)), add_months(first, offset))


def make_invoice(account, number, total, status=Invoice.Status.ISSUED):
    return Invoice.objects.create(
        tenant=account.tenant,
        account=account,
        number=number,
        period_start=datetime.date(2026, 9, 1),
        period_end=datetime.date(2026, 10, 1),
        issued_on=datetime.date(2026, 10, 5),
        due_on=datetime.date(2026, 11, 10),
        currency="AZN",
        total=Decimal(total),
        payment_reference="1",
        language="en",
        status=status,
    )


def page(client, code="7700123"):
    return client.get(f"/azersu/my/accounts/{code}/")


def test_my_accounts_lists_only_the_accounts_given_to_me(client, user, account, tenant):
    SubscriberAccountFactory(tenant=tenant, code="9900999")
    client.force_login(user)

    content = client.get("/azersu/my/accounts/").content.decode()

    assert "7700123" in content
    assert "9900999" not in content


def test_the_account_page_shows_meters_with_their_last_accepted_reading(client, user, account, meter):
    book(meter, "120.500", datetime.date(2026, 9, 1))
    book(meter, "99.000", datetime.date(2026, 9, 20), status="superseded")
    client.force_login(user)

    content = page(client).content.decode()

    assert "Aysel Mammadova" in content
    assert "SN-1" in content and meter.seal_number in content
    assert "120.500" in content and "01.09.2026" in content
    assert "10.01.2028" in content  # next state verification


def test_a_debt_is_shown_as_an_amount_owed(client, user, account):
    make_invoice(account, "AZS-INV-2026-000001", "12.34")
    client.force_login(user)

    content = page(client).content.decode()

    assert services.account_balance(account) == Decimal("-12.34")
    assert "You owe 12.34 AZN" in content
    assert "AZS-INV-2026-000001" in content
    assert "/azersu/my/invoices/AZS-INV-2026-000001/" in content


def test_an_overpayment_is_shown_as_a_credit(client, user, account):
    make_invoice(account, "AZS-INV-2026-000001", "12.34")
    make_invoice(account, "AZS-INV-2026-000002", "99.00", status=Invoice.Status.CANCELLED)
    services.record_payment(
        account=account, amount=Decimal("20"), paid_on=datetime.date(2026, 10, 7), external_id="BANK-1", method="Card"
    )
    client.force_login(user)

    content = page(client).content.decode()

    assert services.account_balance(account) == Decimal("7.66")
    assert "Credit: 7.66 AZN" in content
    assert "Card" in content


def test_the_consumption_chart_is_an_svg_with_title_description_and_a_table(client, user, account, meter):
    monthly_readings(meter)
    client.force_login(user)

    content = page(client).content.decode()

    assert "<svg" in content and 'role="img"' in content
    assert '<title id="chart-cold_water-title">Cold water: consumption by month, m³</title>' in content
    assert '<desc id="chart-cold_water-desc">' in content
    assert "<details>" in content and "<td>10.2026</td><td>10.000</td>" in content


def test_the_chart_counts_each_months_consumption_from_the_previous_reading():
    meter = Meter(pk=1, kind=Meter.Kind.COLD_WATER, installed_on=datetime.date(2020, 1, 1), initial_reading=0)
    readings = [
        (1, datetime.date(2024, 10, 1), Decimal("50")),  # the baseline, a month before the window
        (1, datetime.date(2024, 11, 1), Decimal("58")),
        (1, datetime.date(2026, 10, 1), Decimal("70.5")),
    ]

    [chart] = charts.build_charts([meter], readings, today=TODAY)

    assert len(chart.bars) == 24
    assert chart.bars[0].month == datetime.date(2024, 11, 1) and chart.bars[0].value == Decimal("8.000")
    assert chart.bars[-1].value == Decimal("12.500")
    assert chart.maximum == Decimal("12.500")


def test_someone_elses_account_page_is_404(client, other_user, account):
    client.force_login(other_user)

    assert page(client).status_code == 404


def test_the_account_page_under_another_tenant_is_404(client, user, account, other_tenant):
    client.force_login(user)

    assert client.get(f"/{other_tenant.slug}/my/accounts/{account.code}/").status_code == 404


def account_page_queries(client, user, account):
    client.force_login(user)
    page(client, account.code)  # warm the session and the calendar
    with CaptureQueriesContext(connection) as queries:
        assert page(client, account.code).status_code == 200
    return len(queries)


@pytest.mark.parametrize("invoices_each", [1, 30])
def test_account_page_query_count_is_the_same_with_1_and_50_meters(
    client, user, tenant, branch, invoices_each, django_assert_max_num_queries
):
    small = SubscriberAccountFactory(tenant=tenant, branch=branch, code="1000001")
    large = SubscriberAccountFactory(tenant=tenant, branch=branch, code="1000050")
    for account, meters in ((small, 1), (large, 50)):
        account.users.add(user)
        for index in range(meters):
            kind = [Meter.Kind.COLD_WATER, Meter.Kind.HOT_WATER, Meter.Kind.ELECTRICITY][index % 3]
            monthly_readings(MeterFactory(account=account, kind=kind))
        for index in range(invoices_each):
            make_invoice(account, f"{account.code}-{index}", "1.00")

    with_one = account_page_queries(client, user, small)
    with django_assert_max_num_queries(with_one):
        assert page(client, large.code).status_code == 200

    assert account_page_queries(client, user, large) == with_one
    # tenant, session, user, account, meters, chart readings, balance (2), invoices, payments, open supply
    # suspensions (W3) + session save (3)
    assert with_one <= 14


def test_account_page_queries_do_not_grow_with_readings(client, user, account, django_assert_max_num_queries):
    meter = MeterFactory(account=account)
    book(meter, "1", datetime.date(2026, 10, 1))
    baseline = account_page_queries(client, user, account)
    monthly_readings(MeterFactory(account=account, kind=Meter.Kind.ELECTRICITY))

    with django_assert_max_num_queries(baseline):
        page(client)
