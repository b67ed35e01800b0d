"""Every main page in Azerbaijani and Russian, on a phone (390 px) and a laptop (1280 px): axe-core
finds no serious or critical violation, and no table is wider than the box it sits in (nothing is
clipped or hidden behind a scroll bar). The cabinet readings, billing history and report are
photographed into var/screenshots/ for a person to look at."""

import datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client

from cabinet.models import PeriodReading
from meters.models import Meter
from portal.dates import add_months
from portal.urls_helpers import tenant_reverse
from tests.accounts.factories import UserFactory
from tests.billing.factories import TariffBlockFactory, TariffFactory
from tests.cabinet.billing_fixtures import make_invoice, make_payment
from tests.cabinet.factories import linked_contract
from tests.e2e.axe import assert_accessible
from tests.meters.factories import MeterFactory, ReadingFactory, ServicePointFactory, SubscriberAccountFactory
from tests.portal.factories import BranchFactory, TenantFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
LANGUAGES = ["az", "ru"]
WIDTHS = [390, 1280]
SUBSCRIBER_CODE = "7001234"
TODAY = datetime.date.today()
LAST_MONTH = add_months(TODAY.replace(day=1), -1)

# For every table: the nearest box that could clip it (its scrolling wrapper or its parent) and
# how much wider the table is; a page that scrolls sideways as a whole counts as well.
CLIPPED_TABLES = """() => {
  const found = [];
  for (const table of document.querySelectorAll('main table')) {
    const box = table.closest('.table-wrap') || table.parentElement;
    if (table.getBoundingClientRect().width > box.clientWidth + 1 || box.scrollWidth > box.clientWidth + 1) {
      found.push((table.querySelector('caption, th') || table).textContent.trim().slice(0, 60)
                 + ` (${Math.round(table.getBoundingClientRect().width)} > ${box.clientWidth} px)`);
    }
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1) {
    found.push(`the page is ${document.documentElement.scrollWidth} px wide in a ${window.innerWidth} px window`);
  }
  return found;
}"""


@pytest.fixture
def world(transactional_db):
    tenant = TenantFactory(slug="izhvodokanal", name="Izhvodokanal", country_code="RU", currency="RUB")
    branch = BranchFactory(tenant=tenant)
    TariffBlockFactory(tariff=TariffFactory(tenant=tenant), up_to=None, price=Decimal("48.3000"))

    account = SubscriberAccountFactory(tenant=tenant, branch=branch, code=SUBSCRIBER_CODE, holder_name="Aysel M.")
    meter = MeterFactory(account=account, serial_number="SN-KITCHEN-01")
    for months_back in range(4):
        ReadingFactory(
            meter=meter, value=200 - 10 * months_back, reading_date=TODAY - datetime.timedelta(30 * (months_back + 1))
        )
    citizen = UserFactory(email="aysel@example.com")
    account.users.add(citizen)

    legal = UserFactory(email="olga@izhstal.example")
    contract = linked_contract(
        tenant, legal, number="ИВК-2051", counterparty_name="Ижсталь, общество с ограниченной ответственностью"
    )
    point = ServicePointFactory(
        contract=contract, name="Прокатный цех", address="Воткинское шоссе 2, Ижевск, корпус 14"
    )
    meters = []
    for serial in ("CW-10231-LONG-SERIAL", "CW-10232"):
        cold = MeterFactory(account=contract.account, service_point=point, serial_number=serial, model="ВСХНд-50")
        for months_back in range(3):
            ReadingFactory(
                meter=cold,
                value=1200 - 15 * months_back,
                reading_date=TODAY - datetime.timedelta(25 + 30 * months_back),
            )
        meters.append(cold)
    # A refused reading of last month: its reason is what the status column must not hide.
    PeriodReading.objects.create(
        tenant=tenant,
        contract=contract,
        meter=meters[0],
        period=LAST_MONTH,
        value=Decimal("1100"),
        reading_date=TODAY,
        status=PeriodReading.Status.REFUSED,
        refusal_reason="Показание меньше предыдущего принятого (1200 м³ на 06.11.2026): проверьте счётчик.",
    )
    MeterFactory(account=contract.account, service_point=point, serial_number="HW-501", kind=Meter.Kind.HOT_WATER)
    invoices = [
        make_invoice(contract.account, add_months(TODAY.replace(day=1), -n), "1234567.80", vat="205761.30")
        for n in (1, 2)
    ]
    make_payment(contract.account, TODAY - datetime.timedelta(days=3), "1234567.80", invoice=invoices[0])
    return SimpleNamespace(tenant=tenant, citizen=citizen, legal=legal, account=account, contract=contract)


def log_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.fixture(params=WIDTHS, ids=lambda width: f"{width}px")
def width(request):
    return request.param


@pytest.fixture(params=LANGUAGES)
def language(request):
    return request.param


@pytest.fixture
def visit(browser, live_server, eager_celery, world, language, width):
    """A page factory: ``visit(user)`` opens a browser context (logged in as ``user``, if any)
    in ``language`` at ``width`` and returns a function that checks one URL."""
    from tests.e2e.conftest import assert_no_csp_violations, watch_for_csp_violations

    contexts = []

    def open_as(user=None):
        if user is not None:
            type(user).objects.filter(pk=user.pk).update(preferred_language=language)
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 900}, locale=language
        )
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
        context.set_default_timeout(10_000)
        violations = watch_for_csp_violations(context)
        contexts.append((context, violations))
        if user is not None:
            log_in(context, live_server, user)
        page = context.new_page()

        def check(url, screenshot=None):
            response = page.goto(url)
            assert response.status == 200, f"{url}: {response.status}"
            assert page.locator("html").get_attribute("lang") == language
            assert_accessible(page)
            clipped = page.evaluate(CLIPPED_TABLES)
            assert not clipped, f"{url} at {width} px clips:\n" + "\n".join(clipped)
            if screenshot:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / f"{screenshot}-{language}-{width}.png"), full_page=True)
            return page

        return check

    yield open_as
    for context, violations in contexts:
        context.close()
        assert_no_csp_violations(violations)


def test_public_pages_are_accessible(visit, world):
    check = visit()
    for url in ["/", tenant_reverse(world.tenant, "home"), "/accounts/login/", "/accounts/register/"]:
        check(url)


def test_citizen_pages_are_accessible(visit, world):
    check = visit(world.citizen)
    tenant = world.tenant
    page = check(tenant_reverse(tenant, "readings:submit_readings"))
    page.locator("input[name=code]").fill(SUBSCRIBER_CODE)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/readings/form/")
    check(tenant_reverse(tenant, "readings:submit_readings_form"))
    check(tenant_reverse(tenant, "applications:my_list"))
    check(tenant_reverse(tenant, "billing:my_accounts"))
    check(tenant_reverse(tenant, "billing:account_detail", kwargs={"code": world.account.code}))


CONTRACT_PAGES = [
    ("cabinet:contract_detail", None),
    ("cabinet:consumer_info", None),
    ("cabinet:readings", "readings", f"?period={LAST_MONTH:%Y-%m}"),
    ("cabinet:hot_water", None),
    ("cabinet:archive", None),
    ("cabinet:readings_upload", None),
    ("cabinet:billing_history", "billing-history"),
    ("cabinet:payments", None),
    ("cabinet:current_month", None),
    ("cabinet:report", "report"),
    ("cabinet:requests", None),
    ("cabinet:limit_change", None),
    ("cabinet:requisites_change", None),
    ("cabinet:claim_new", None),
    ("cabinet:employee_lists", None),
    ("cabinet:employee_list_new", None),
]


def test_cabinet_pages_are_accessible(visit, world):
    check = visit(world.legal)
    tenant = world.tenant
    check(tenant_reverse(tenant, "cabinet:home"))
    check(tenant_reverse(tenant, "cabinet:contracts"))
    for name, screenshot, *query in CONTRACT_PAGES:
        url = tenant_reverse(tenant, name, kwargs={"contract_id": world.contract.pk}) + "".join(query)
        page = check(url, screenshot=screenshot)
        if name == "cabinet:readings":
            reason = page.get_by_text("Показание меньше предыдущего принятого")
            assert reason.is_visible()
            box, viewport = reason.bounding_box(), page.viewport_size
            assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], "the refusal reason is off screen"
