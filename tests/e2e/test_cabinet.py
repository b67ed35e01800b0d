"""The legal-entity cabinet in a real browser: a new user registers, confirms the e-mail, registers
the organization, links its contract (after one wrong try), submits the cold-water readings inside
the window, sees them in the archive at once, and opens the billing history and the payments."""

import datetime
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from accounts.models import Organization
from billing.models import Tariff
from cabinet.models import CabinetSettings, PeriodReading
from cabinet.windows import submission_window
from meters.models import Contract, Meter, Reading
from portal.dates import add_months
from portal.models import Workflow
from portal.urls_helpers import tenant_reverse
from portal.workdays import calendar_for
from tests.billing.factories import TariffBlockFactory, TariffFactory
from tests.cabinet.billing_fixtures import make_invoice, make_payment
from tests.e2e.test_foundation_journey import PASSWORD, sent_messages, text_body
from tests.meters.factories import ContractFactory, MeterFactory, ReadingFactory, ServicePointFactory
from tests.portal.factories import TenantFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TAX_NUMBER = "1831045676"  # a valid INN (its check digit matches)
CONTRACT_NUMBER = "ИВК-2051"
EMAIL = "olga@izhstal.example"
NEUTRAL = "No contract matches this tax number and contract number."
# (serial, last accepted reading, reading entered now): whole m³ above the previous ones.
METERS = [("CW-10231", Decimal("1204"), "1237"), ("CW-10232", Decimal("845"), "861")]


def open_window(tenant, today):
    """(deadline day, period, window) such that ``today`` lies in the period's submission window,
    or None. Days up to 31 are tried: on the 29th–31st no deadline of 1–28 may reach today."""
    calendar = calendar_for(tenant)
    for deadline_day in range(1, 32):
        contract = SimpleNamespace(tenant=tenant, readings_deadline_day=deadline_day, hot_water_deadline_day=None)
        for months_back in (1, 2, 0):
            period = add_months(today, -months_back)
            window = submission_window(contract, period, calendar=calendar)
            if window.contains(today):
                return deadline_day, period, window
    return None


def submission_day(tenant, freeze_today):
    """The tenant's real today, so that the walk submits inside the window whatever the date of the
    run. No window can contain a day in a run of three or more days off (the New Year holidays);
    then the server's today moves to the first day with an open window."""
    real_today = tenant.today()
    for offset in range(15):
        day = real_today + datetime.timedelta(days=offset)
        found = open_window(tenant, day)
        if found is not None:
            if day != real_today:
                freeze_today(day)
            return day, *found
    raise AssertionError(f"no submission window opens within two weeks of {real_today}")


@pytest.fixture(autouse=True)
def fresh_throttle():
    # Failed link attempts are counted in the cache, which outlives a test's database.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(transactional_db, freeze_today):
    tenant = TenantFactory(
        slug="izhvodokanal",
        name="Izhvodokanal",
        country_code="RU",
        timezone="Europe/Samara",
        currency="RUB",
        default_language="en",
        contract_link_needs_confirmation=False,
        workflows=[Workflow.CONTRACT_CABINET.value, Workflow.LEGAL_CABINET.value],
    )
    # Izhvodokanal's cabinet takes cold-water readings only (hot water goes in as volumes).
    CabinetSettings.objects.create(tenant=tenant, readings_meter_kinds=[Meter.Kind.COLD_WATER])
    today, deadline_day, period, _window = submission_day(tenant, freeze_today)
    contract = ContractFactory(
        tenant=tenant,
        number=CONTRACT_NUMBER,
        tax_number=TAX_NUMBER,
        counterparty_name="Izhstal LLC",
        readings_deadline_day=deadline_day,
    )
    point = ServicePointFactory(contract=contract, name="Rolling mill", address="Votkinskoye shosse 2, Izhevsk")
    meters = []
    for serial, last_value, _entered in METERS:
        meter = MeterFactory(account=contract.account, service_point=point, serial_number=serial)
        # Monthly history, the last accepted reading 25 days ago: today's date is after it.
        for months_back in range(4):
            ReadingFactory(
                meter=meter,
                value=last_value - 15 * months_back,
                reading_date=today - datetime.timedelta(days=25 + 30 * months_back),
            )
        meters.append(meter)

    tariff = TariffFactory(tenant=tenant, name="Water, organizations", category=Tariff.Category.LEGAL_ENTITY)
    TariffBlockFactory(tariff=tariff, price=Decimal("48.3000"))
    invoices = []
    for months_back, total in ((3, "702.10"), (2, "688.45"), (1, "724.80")):
        month = add_months(today, -months_back)
        invoices.append(make_invoice(contract.account, month, total, vat="120.80"))
    payments = [
        make_payment(
            contract.account, min(invoice.issued_on + datetime.timedelta(days=5), today), invoice.total, invoice=invoice
        )
        for invoice in invoices[:2]
    ]
    return SimpleNamespace(
        tenant=tenant,
        contract=contract,
        meters=meters,
        period=period,
        invoices=invoices,
        payments=payments,
    )


def url(world, name, **kwargs):
    return tenant_reverse(world.tenant, name, kwargs=kwargs or None)


def register_confirm_and_log_in(page, world, mail_dir):
    page.goto(url(world, "cabinet:home"))
    page.get_by_role("link", name="Register").first.click()
    page.get_by_label("Full name").fill("Olga Kuznetsova")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Mobile phone").fill("+79121234567")
    page.get_by_label("Preferred language").select_option("en")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Register").click()
    expect(page.locator("h1")).to_have_text("Check your e-mail")

    (confirmation,) = sent_messages(mail_dir)
    assert confirmation["To"] == EMAIL
    page.goto(re.search(r"https?://\S+/accounts/confirm/\S+", text_body(confirmation)).group(0))
    expect(page.locator(".messages")).to_contain_text("Your e-mail address is confirmed")

    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page.locator(".account-nav")).to_contain_text("Log out")


def register_the_organization(page, world):
    page.goto(url(world, "cabinet:home"))
    expect(page.locator("main")).to_contain_text("You are not a member of any organization yet.")
    page.get_by_role("link", name="Register an organization").click()
    page.get_by_label("Tax number").fill(TAX_NUMBER)
    page.get_by_label("Name").fill("Izhstal LLC")
    page.get_by_label("Legal address").fill("Votkinskoye shosse 2, Izhevsk")
    page.locator("main").get_by_role("button", name="Register").click()
    expect(page.locator(".messages")).to_contain_text("The organization is registered. You are its owner.")


def link_the_contract(page, world):
    page.goto(url(world, "cabinet:home"))
    page.locator("main").get_by_role("link", name="Link a contract").click()
    expect(page.locator("h1")).to_have_text("Link a contract")

    # A wrong contract number: the same neutral answer as a wrong tax number, nothing linked.
    page.get_by_label("Company's tax number").fill(TAX_NUMBER)
    page.get_by_label("Contract number").fill("ИВК-2050")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".error-summary")).to_contain_text(NEUTRAL)
    expect(page.locator("main")).not_to_contain_text("Contract №")
    assert Contract.objects.get(pk=world.contract.pk).organization is None

    page.get_by_label("Company's tax number").fill(TAX_NUMBER)
    page.get_by_label("Contract number").fill(CONTRACT_NUMBER)
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".messages")).to_contain_text(f"Request sent. Contract №{CONTRACT_NUMBER} is linked")
    card = page.locator(".card", has_text=f"Contract №{CONTRACT_NUMBER}")
    for section in ("Cold-water readings", "Readings archive", "Billing history", "Payments received"):
        expect(card.get_by_role("link", name=section)).to_be_visible()
    assert Contract.objects.get(pk=world.contract.pk).organization == Organization.objects.get(tax_number=TAX_NUMBER)


def submit_the_readings(page, world):
    page.locator(".card").get_by_role("link", name="Cold-water readings").click()
    expect(page.locator("h1")).to_have_text("Cold-water readings")
    page.get_by_label("Reporting period").select_option(f"{world.period:%Y-%m}")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#window")).to_contain_text("Submission is open")

    rows = page.locator(".readings-table tbody tr")
    expect(rows).to_have_count(2)
    for meter, (serial, last_value, entered) in zip(world.meters, METERS, strict=True):
        row = page.locator(f"#meter-{meter.pk}")
        expect(row).to_contain_text(f"{last_value} m³")  # the previous reading is shown to read against
        row.get_by_label(f"Current reading of meter {serial}").fill(entered)
    page.get_by_role("button", name="Submit", exact=True).click()

    expect(page.locator(".messages")).to_contain_text("2 readings accepted.")
    for meter, (_serial, _last, entered) in zip(world.meters, METERS, strict=True):
        row = page.locator(f"#meter-{meter.pk}")
        expect(row).to_have_class(re.compile(r"\brow-ok\b"))
        expect(row).to_contain_text("Accepted")
        expect(row).to_contain_text(f"{entered} m³")
        # Green: the accepted row's background is painted, not left transparent.
        expect(row).to_have_css("background-color", "rgb(230, 244, 234)")
    page.screenshot(path="/tmp/cabinet-readings.png", full_page=True)

    booked = PeriodReading.objects.filter(contract=world.contract, period=world.period)
    assert sorted(r.value for r in booked) == sorted(Decimal(entered) for _s, _l, entered in METERS)
    assert all(r.status == PeriodReading.Status.ACCEPTED and r.booked_reading_id for r in booked)


def see_them_in_the_archive(page, world):
    page.locator(".cabinet-nav").get_by_role("link", name="Readings archive").click()
    expect(page.locator("h1")).to_have_text("Readings archive")
    # The two readings just submitted come first, at once: no wait for the source system's import.
    newest = page.locator("main table tbody tr")
    expect(newest.nth(1)).to_be_visible()
    top_two = [newest.nth(0).inner_text(), newest.nth(1).inner_text()]
    for serial, _last, entered in METERS:
        assert any(serial in text and entered in text for text in top_two), (serial, entered, top_two)
    assert Reading.objects.filter(meter__in=world.meters).count() == 2 * 4 + 2


def see_billing_history_and_payments(page, world):
    page.locator(".cabinet-nav").get_by_role("link", name="Billing history").click()
    expect(page.locator("h1")).to_have_text("Billing history")
    newest_invoice = world.invoices[-1]
    expect(page.get_by_role("link", name=newest_invoice.number)).to_be_visible()
    expect(page.locator("main")).to_contain_text(f"{newest_invoice.total} RUB")

    page.locator(".cabinet-nav").get_by_role("link", name="Payments received").click()
    expect(page.locator("h1")).to_have_text("Payments received")
    newest_payment = world.payments[-1]
    payment_row = page.locator("main table tbody tr", has_text=newest_payment.invoice.number)
    expect(payment_row).to_contain_text(f"{newest_payment.amount} RUB")
    expect(page.locator(".balance")).to_contain_text(f"Debt: {newest_invoice.total} RUB.")


def test_a_new_user_links_the_contract_submits_readings_in_the_window_and_sees_archive_and_billing(
    page, world, mail_dir
):
    register_confirm_and_log_in(page, world, mail_dir)
    register_the_organization(page, world)
    link_the_contract(page, world)
    submit_the_readings(page, world)
    see_them_in_the_archive(page, world)
    see_billing_history_and_payments(page, world)
