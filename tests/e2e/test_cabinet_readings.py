"""The W5 cabinet readings in a real browser, in Azerbaijani and Russian, on a phone (390 px) and a
desktop (1280 px): the user logs in and lands on the cabinet, submits the period's readings with one
refused row whose reason is on screen, then uploads a cp1251 CSV made by Excel, sees the preview of
what will be saved and sends it. axe-core runs on every page the walk opens."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from cabinet.models import CabinetSettings, PeriodReading
from meters.models import Meter, Reading
from portal.models import Workflow
from portal.urls_helpers import tenant_reverse
from tests.accounts.factories import PASSWORD, OrganizationFactory, UserFactory
from tests.cabinet.factories import linked_contract
from tests.e2e.axe import assert_accessible
from tests.meters.factories import MeterFactory, ReadingFactory, ServicePointFactory
from tests.portal.factories import TenantFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
D = datetime.date
# Deadline day 8: the October 2026 readings are taken on 6-8 October (Tuesday to Thursday).
TODAY = D(2026, 10, 7)
EMAIL = "olga@izhstal.example"


@pytest.fixture
def world(transactional_db, freeze_today, request):
    language = request.node.callspec.params["language"]
    freeze_today(TODAY)
    tenant = TenantFactory(
        slug="izhvodokanal",
        name="Izhvodokanal",
        country_code="RU",
        timezone="Europe/Samara",
        currency="RUB",
        default_language="ru",
        workflows=[Workflow.CONTRACT_CABINET.value],
    )
    CabinetSettings.objects.create(tenant=tenant, readings_meter_kinds=[Meter.Kind.COLD_WATER], readings_window=True)
    user = UserFactory(email=EMAIL, full_name="Olga Kuznetsova", preferred_language=language)
    organization = OrganizationFactory(tax_number="1831045676", name="Izhstal LLC")
    contract = linked_contract(tenant, user, organization=organization, number="ИВК-2051", readings_deadline_day=8)
    point = ServicePointFactory(contract=contract, address="Votkinskoye shosse 2, Izhevsk")
    meters = []
    for serial, previous in (("CW-1", "120"), ("CW-2", "500")):
        meter = MeterFactory(account=contract.account, service_point=point, serial_number=serial)
        ReadingFactory(meter=meter, value=Decimal(previous), reading_date=D(2026, 9, 4))
        meters.append(meter)
    return tenant, contract, meters


def on_screen(page, locator):
    """The element is displayed and, once scrolled to, inside the viewport (not clipped off it)."""
    expect(locator).to_be_visible()
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    assert box is not None and box["width"] > 0 and box["x"] >= 0 and box["x"] < width, (box, width)


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("language", ["az", "ru"])
def test_cabinet_readings_with_a_refused_row_and_the_upload_preview(
    browser, live_server, world, tmp_path, language, width
):
    tenant, contract, (first, second) = world
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    page = context.new_page()

    # Log in: the cabinet home, told so, "Link a contract" offered (a contract is linked here, so
    # the home lists it).
    page.goto(tenant_reverse(tenant, "accounts:login"))
    page.locator("#id_email").fill(EMAIL)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{tenant_reverse(tenant, 'cabinet:home')}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator(".messages, .message").first).to_be_visible()
    assert_accessible(page)

    # The readings page: October 2026, one row accepted and one refused with its reason on screen.
    page.goto(tenant_reverse(tenant, "cabinet:readings", kwargs={"contract_id": contract.pk}))
    expect(page.locator("select[name=period] option[selected]")).to_have_attribute("value", "2026-10")
    page.locator(f"#id_m{first.pk}-value").fill("131")
    page.locator(f"#id_m{second.pk}-value").fill("499")
    assert_accessible(page)
    page.locator("button[name=submit]").click()
    page.wait_for_load_state()
    refused = PeriodReading.objects.get(meter=second)
    assert refused.status == PeriodReading.Status.REFUSED and refused.refusal_reason
    row = page.locator(f"#meter-{second.pk}")
    expect(row).to_have_class("row-error")
    reason = row.locator("td").last
    expect(reason).to_contain_text(refused.refusal_reason)
    on_screen(page, reason)
    expect(page.locator(f"#meter-{first.pk}")).to_have_class("row-ok")
    page.screenshot(path=f"/tmp/cabinet9-readings-{language}-{width}.png", full_page=True)
    assert_accessible(page)

    # Upload a CSV saved by a Russian Excel (cp1251, semicolons): the preview, then Send.
    page.goto(tenant_reverse(tenant, "cabinet:readings_upload", kwargs={"contract_id": contract.pk}))
    csv_file = tmp_path / "показания.csv"
    csv_file.write_bytes(
        "№ счётчика;Адрес;Предыдущее;Дата;Текущее;Дата\r\nCW-2;;500;;512;07.10.2026\r\n".encode("cp1251")
    )
    page.locator("input[type=file]").set_input_files(str(csv_file))
    page.locator("main form[enctype] button[type=submit]").click()
    preview = page.locator("#preview")
    expect(preview).to_be_visible()
    preview_row = preview.locator("tbody tr")
    expect(preview_row).to_have_count(1)
    expect(preview_row).to_contain_text("CW-2")
    expect(preview_row.locator("td").last).to_have_text("12")  # the consumption: 512 − 500
    on_screen(page, preview_row.locator("td").first)
    assert not Reading.objects.filter(meter=second, value=512).exists()  # nothing saved before Send
    page.screenshot(path=f"/tmp/cabinet9-preview-{language}-{width}.png", full_page=True)
    assert_accessible(page)

    preview.locator("button[type=submit]").click()
    expect(page.locator(f"#meter-{second.pk}")).to_have_class("row-ok")
    assert Reading.objects.get(meter=second, source=Reading.Source.LEGAL_ENTITY).value == 512

    for name in ("cabinet:archive", "cabinet:hot_water"):
        page.goto(tenant_reverse(tenant, name, kwargs={"contract_id": contract.pk}))
        assert_accessible(page)  # tables are cards on phones now: nothing scrolls sideways
    context.close()
