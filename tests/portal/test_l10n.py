"""What the reader sees in his language: numbers, money, dates and months, the utility's name,
request kinds and payment methods translated at display (issue #9, item 12)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.formats import date_format

from portal.l10n import money, month_in_sentence, number
from tests.portal.factories import TenantFactory

DAY = datetime.date(2026, 12, 1)
NBSP = "\xa0"


@pytest.fixture
def compiled_catalogues(settings):
    call_command("compile_catalogues", stdout=io.StringIO())
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)


def test_money_is_grouped_in_thousands_with_the_locales_separators():
    with translation.override("ru"):
        assert money(Decimal("1234567.8")) == f"1{NBSP}234{NBSP}567,80"
    with translation.override("en"):
        assert money(Decimal("1234567.8")) == "1,234,567.80"


def test_a_reading_in_a_message_uses_the_locales_decimal_separator():
    with translation.override("ru"):
        assert number(Decimal("1200.500")) == "1200,5"
        assert number(Decimal("1200.000")) == "1200"
    with translation.override("az"):
        assert number(Decimal("0.25")) == "0,25"


def test_english_has_one_day_month_year_date_format():
    with translation.override("en"):
        assert date_format(DAY, "DATE_FORMAT") == "1 December 2026"
        assert date_format(DAY, "SHORT_DATE_FORMAT") == "01.12.2026"


@pytest.mark.django_db
def test_russian_dates_and_months_inside_a_sentence(compiled_catalogues):
    from cabinet.windows import closed_message

    with translation.override("ru"):
        assert date_format(DAY, "DATE_FORMAT") == "1 декабря 2026 г."
        assert month_in_sentence(DAY) == "декабрь 2026 г."
    contract = type("C", (), {})()
    tenant = TenantFactory(country_code="RU", timezone="Europe/Samara")
    contract.tenant, contract.readings_deadline_day, contract.hot_water_deadline_day = tenant, 8, None
    with translation.override("ru"):
        message = closed_message(contract, datetime.date(2026, 10, 1), datetime.date(2026, 11, 20))
    assert "г.." not in message
    assert "за октябрь 2026 г." in message


@pytest.mark.django_db
def test_the_utilitys_name_is_shown_in_the_readers_language_with_a_fallback():
    tenant = TenantFactory(name="Uzbekenergo", name_ru="Узбекэнерго", name_uz="Oʻzbekenergo")
    with translation.override("ru"):
        assert tenant.local_name == "Узбекэнерго"
    with translation.override("uz"):
        assert str(tenant) == "Oʻzbekenergo"
    with translation.override("az"):
        assert tenant.local_name == "Uzbekenergo"


@pytest.mark.django_db
def test_a_request_kind_is_named_by_its_registered_label_not_the_stored_name(compiled_catalogues):
    from applications.models import ApplicationKind

    kind = ApplicationKind.objects.create(tenant=TenantFactory(), code="meter_readings", name="Meter readings")
    with translation.override("ru"):
        assert str(kind.label) != "Meter readings"
        assert str(kind) == str(kind.label)


@pytest.mark.django_db
def test_a_payment_method_is_a_code_shown_in_the_readers_language_beside_the_banks_text(compiled_catalogues):
    from billing.models import Payment

    payment = Payment(channel=Payment.Channel.BANK_TRANSFER)
    with translation.override("ru"):
        assert payment.method_label == "Банковский перевод"
    payment = Payment(channel=Payment.Channel.ONLINE, method="Payme")
    with translation.override("az"):
        assert payment.method_label == "Onlayn ödəniş xidməti — Payme"


@pytest.mark.django_db
def test_the_migration_turns_the_portals_own_method_texts_into_codes_and_keeps_the_banks():
    from importlib import import_module

    from django.apps import apps

    from billing.models import Payment
    from tests.cabinet.billing_fixtures import make_payment
    from tests.meters.factories import SubscriberAccountFactory

    account = SubscriberAccountFactory()
    generic = make_payment(account, DAY, "10.00", channel="", method="Банковский перевод")
    provider = make_payment(account, DAY, "11.00", channel="", method="Payme")
    odd = make_payment(account, DAY, "12.00", channel="", method="п/п №118")
    import_module("billing.migrations.0007_payment_channel").channel_from_method(apps, None)

    rows = {p.pk: (p.channel, p.method) for p in Payment.objects.all()}
    assert rows[generic.pk] == ("bank_transfer", "")
    assert rows[provider.pk] == ("online", "Payme")
    assert rows[odd.pk] == ("other", "п/п №118")


def test_the_claim_attachment_hint_is_translated_when_shown(compiled_catalogues):
    from cabinet.forms.requests import ClaimForm

    with translation.override("ru"):
        assert str(ClaimForm.base_fields["attachments"].help_text).startswith("До ")
    with translation.override("en"):
        assert str(ClaimForm.base_fields["attachments"].help_text).startswith("Up to ")
