"""Tiered charges, VAT and which tariff applies on a reading date."""

import datetime
from decimal import Decimal

from billing.services import charge, line_amounts, tariff_in_force
from tests.billing.conftest import make_tariff
from tests.portal.factories import BranchFactory

AZ_HOUSEHOLD_ELECTRICITY = (("200", "0.084"), ("300", "0.10"), (None, "0.15"))


def priced(parts):
    return sum(quantity * price for quantity, price in parts)


def test_350_kwh_on_the_household_electricity_tariff_cost_34_30(tenant):
    tariff = make_tariff(tenant, service="electricity", blocks=AZ_HOUSEHOLD_ELECTRICITY)

    parts = charge(consumption=Decimal("350"), tariff=tariff)

    assert parts == [
        (Decimal("200"), Decimal("0.084")),
        (Decimal("100"), Decimal("0.10")),
        (Decimal("50"), Decimal("0.15")),
    ]
    assert priced(parts) == Decimal("34.30")


def test_consumption_inside_the_first_block_uses_one_price(tenant):
    tariff = make_tariff(tenant, service="electricity", blocks=AZ_HOUSEHOLD_ELECTRICITY)

    assert charge(consumption=Decimal("150.5"), tariff=tariff) == [(Decimal("150.5"), Decimal("0.084"))]


def test_consumption_exactly_on_a_block_limit_does_not_reach_the_next_block(tenant):
    tariff = make_tariff(tenant, service="electricity", blocks=AZ_HOUSEHOLD_ELECTRICITY)

    assert charge(consumption=Decimal("200"), tariff=tariff) == [(Decimal("200"), Decimal("0.084"))]


def test_consumption_beyond_the_last_bounded_block_is_priced_at_that_block(tenant):
    tariff = make_tariff(tenant, service="electricity", blocks=(("200", "600"), ("500", "800")))

    assert charge(consumption=Decimal("600"), tariff=tariff) == [
        (Decimal("200"), Decimal("600")),
        (Decimal("300"), Decimal("800")),
        (Decimal("100"), Decimal("800")),
    ]


def test_zero_consumption_is_charged_nothing(tenant):
    tariff = make_tariff(tenant)

    assert charge(consumption=Decimal("0"), tariff=tariff) == []


def test_vat_included_prices_split_the_amount_into_net_and_vat(tenant):
    tariff = make_tariff(tenant, vat_rate="18", include_vat=True)

    net, vat, gross = line_amounts(quantity=Decimal("12.345"), unit_price=Decimal("0.70"), tariff=tariff)

    # 12.345 × 0.70 = 8.6415 → 8.64 gross; 8.64 / 1.18 = 7.3220… → 7.32 net; VAT the rest.
    assert (net, vat, gross) == (Decimal("7.32"), Decimal("1.32"), Decimal("8.64"))


def test_vat_excluded_prices_add_vat_on_top(tenant):
    tariff = make_tariff(tenant, vat_rate="20", include_vat=False)

    net, vat, gross = line_amounts(quantity=Decimal("10"), unit_price=Decimal("25.76"), tariff=tariff)

    assert (net, vat, gross) == (Decimal("257.60"), Decimal("51.52"), Decimal("309.12"))


def test_money_is_rounded_half_up(tenant):
    tariff = make_tariff(tenant, vat_rate="0", include_vat=False)

    net, _vat, _gross = line_amounts(quantity=Decimal("1"), unit_price=Decimal("0.0250"), tariff=tariff)

    assert net == Decimal("0.03")  # 0.025 → 0.03 (half-up), where banker's rounding would give 0.02


def test_the_tariff_in_force_on_the_reading_date_applies(tenant, branch):
    old = make_tariff(tenant, valid_from=datetime.date(2019, 1, 1), valid_to=datetime.date(2021, 1, 31))
    new = make_tariff(tenant, valid_from=datetime.date(2021, 2, 1))

    def on(day):
        return tariff_in_force(tenant=tenant, service="water", category="household", branch=branch, on=day)

    assert on(datetime.date(2021, 1, 31)) == old
    assert on(datetime.date(2021, 2, 1)) == new
    assert on(datetime.date(2018, 12, 31)) is None


def test_a_tariff_of_the_accounts_branch_beats_the_general_one(tenant, branch):
    general = make_tariff(tenant, blocks=((None, "0.60"),))
    baku = make_tariff(tenant, blocks=((None, "0.70"),), branches=[branch])
    elsewhere = BranchFactory(tenant=tenant)

    def in_branch(where):
        return tariff_in_force(
            tenant=tenant, service="water", category="household", branch=where, on=datetime.date(2026, 5, 1)
        )

    assert in_branch(branch) == baku
    assert in_branch(elsewhere) == general


def test_another_tenants_and_another_categorys_tariffs_never_apply(tenant, other_tenant, branch):
    make_tariff(other_tenant)
    make_tariff(tenant, category="legal_entity")

    assert (
        tariff_in_force(
            tenant=tenant, service="water", category="household", branch=branch, on=datetime.date(2026, 5, 1)
        )
        is None
    )
