"""The quote box the application form includes: lines, VAT, total, validity, in the reader's language."""

import datetime

from django.template.loader import render_to_string
from django.utils import translation

from connections.fees import ObjectKind, Quote, Term, quote
from tests.connections.factories_fees import CURRENT, inputs, regime


def fee(**changes):
    schedule, rules = regime(CURRENT)
    return quote(rules, inputs("12.5", **changes), today=datetime.date(2026, 12, 2))


def test_the_box_shows_lines_vat_total_and_validity():
    html = render_to_string("connections/fees/quote.html", {"quote": fee()})

    assert "Single-phase, over 10 up to 150 kW: 60 AZN × 12.5 kW" in html
    assert "750.00" in html and "114.41" in html  # total and the VAT included
    assert "including VAT 18 %" in html
    assert "valid until" in html and "01.01.2027" in html or "01/01/2027" in html


def test_a_stored_quote_renders_in_russian_with_the_locale_numbers():
    stored = Quote.from_frozen(fee(term=Term.URGENT).as_frozen())

    with translation.override("ru"):
        html = render_to_string("connections/fees/quote.html", {"quote": stored})

    assert "12,5" in html and "1 125,00" in html.replace("\xa0", " ")
    assert "Плата за подключение" in html and "в том числе НДС 18 %" in html


def test_the_no_fee_apartment_shows_one_explanatory_line():
    html = render_to_string(
        "connections/fees/quote.html",
        {"quote": fee(object_kind=ObjectKind.APARTMENT, building_has_general_conditions=True)},
    )

    assert "no connection fee" in html and "0.00" in html


def test_the_alternatives_show_each_total_or_its_refusal(tenant):
    from connections import quotes
    from connections.demo_fees import seed_fee_schedules

    seed_fee_schedules(tenant)
    found = quotes.alternatives(tenant, inputs("8"), on=datetime.date(2020, 1, 1))

    html = render_to_string("connections/fees/alternatives.html", {"alternatives": found})

    assert "The other phase" in html and "Three-phase, 8 kW, Standard term" in html
    assert "no price for this request" in html  # three-phase under the 2018 household regime
    assert "The other execution term" in html and "420.00 AZN" in html
