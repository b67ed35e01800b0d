"""W3 in a real browser, in Azerbaijani: staff record a tampering removal (supply suspended at once),
the delivery, an intake with a seal mismatch (the notice in the outbox), the verification
"tampered", the act PDF and the damages invoice; the consumer follows every stage and downloads
the act; staff record the payment and restore the supply. axe at 390 and 1280 px; screenshots of
the consumer's pages under var/screenshots/."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from billing.models import Invoice
from meters.models import Meter, SupplySuspension
from portal.models import Notification, Workflow
from removals.models import Act, MeterPrice, MeterRemoval
from tests.accounts.factories import PASSWORD, UserFactory
from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import assert_no_csp_violations, watch_for_csp_violations
from tests.e2e.test_accessibility import log_in
from tests.e2e.test_w1_readings import current_token
from tests.meters.factories import MeterFactory, SubscriberAccountFactory
from tests.portal.factories import BranchFactory, StaffMembershipFactory, TenantFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
TODAY = datetime.date.today()
DAYS_AGO = [TODAY - datetime.timedelta(days=n) for n in range(5)]


@pytest.fixture
def world(transactional_db):
    tenant = TenantFactory(
        slug="azerigaz",
        name="Azerigaz",
        name_az="Azəriqaz",
        default_language="az",
        application_prefix="AQZ",
        workflows=[Workflow.METER_REMOVAL.value],
    )
    branch = BranchFactory(
        tenant=tenant, code="narimanov", name="Nərimanov rayon qaz istismar sahəsi", short_lab_delivery_term=True
    )
    account = SubscriberAccountFactory(
        tenant=tenant,
        branch=branch,
        code="300400501",
        holder_name="Aysel Məmmədova",
        address="Bakı, Təbriz küç. 8, m. 21",
    )
    meter = MeterFactory(
        account=account, serial_number="AQZ-G-801001", seal_number="A-1", kind=Meter.Kind.GAS, model="G4"
    )
    MeterPrice.objects.create(
        tenant=tenant,
        meter_type="G4",
        verification_fee=Decimal("7.29"),
        meter_value=Decimal("160.00"),
        installation_cost=Decimal("20.00"),
    )
    consumer = UserFactory(email="aysel@example.com", full_name="Aysel Məmmədova", preferred_language="az")
    account.users.add(consumer)
    staff = UserFactory(email="leyla@azerigaz.test", is_staff=True, preferred_language="az")
    StaffMembershipFactory(tenant=tenant, user=staff)
    staff.user_permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["meters", "applications", "billing", "removals"])
    )
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    return {"tenant": tenant, "account": account, "meter": meter, "consumer": consumer, "device": device}


def staff_page(browser, live_server, world):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="az")
    context.add_cookies([{"name": "django_language", "value": "az", "url": live_server.url}])
    context.set_default_timeout(15_000)
    violations = watch_for_csp_violations(context)
    admin = context.new_page()
    admin.goto("/admin/")
    admin.locator("#id_username").fill("leyla@azerigaz.test")
    admin.locator("#id_password").fill(PASSWORD)
    admin.locator("#id_otp_token").fill(current_token(world["device"]))
    admin.locator("#id_otp_token").press("Enter")
    expect(admin.locator("#user-tools")).to_be_visible()
    return context, admin, violations


def step(admin, removal, code, fields=None, selects=None):
    admin.goto(f"/admin/removals/meterremoval/{removal.pk}/change/")
    admin.locator(f"a.button[href$='/step/{code}/']").click()
    for name, value in (fields or {}).items():
        admin.locator(f"[name={name}]").fill(value)
    for name, value in (selects or {}).items():
        admin.locator(f"[name={name}]").select_option(value)
    admin.locator("input[type=submit]").click()
    expect(admin.locator(".messagelist")).to_be_visible()
    assert "/change/" in admin.url, admin.locator("#content").inner_text()


def consumer_sees_the_case_in_russian(browser, live_server, world, number, width):
    """The same consumer pages in Russian: translated, accessible, laid out at both widths."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900}, locale="ru")
    context.add_cookies([{"name": "django_language", "value": "ru", "url": live_server.url}])
    context.set_default_timeout(15_000)
    violations = watch_for_csp_violations(context)
    log_in(context, live_server, world["consumer"])
    page = context.new_page()
    page.goto("/azerigaz/removals/")
    # His profile says Azerbaijani: he switches with the language buttons, as a user would.
    page.get_by_role("button", name="Русский").click()
    expect(page.locator("h1")).to_have_text("Мои дела о счётчиках")
    assert_accessible(page)
    page.screenshot(path=str(SCREENSHOTS / f"w3-my-cases-ru-{width}.png"), full_page=True)
    page.get_by_role("link", name=number).click()
    expect(page.locator("main")).to_contain_text("Обнаружено вмешательство")
    expect(page.locator("main")).to_contain_text("Ущерб к оплате")
    # The difference found at intake is derived from the recorded figures, in the reader's language.
    expect(page.locator("main")).not_to_contain_text("plomblar")
    assert_accessible(page)
    page.screenshot(path=str(SCREENSHOTS / f"w3-case-ru-{width}.png"), full_page=True)
    context.close()
    assert_no_csp_violations(violations)


def consumer_sees_the_case(browser, live_server, world, number, width, download_dir):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}, locale="az", accept_downloads=True
    )
    context.add_cookies([{"name": "django_language", "value": "az", "url": live_server.url}])
    context.set_default_timeout(15_000)
    violations = watch_for_csp_violations(context)
    log_in(context, live_server, world["consumer"])
    page = context.new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto("/azerigaz/removals/")
    expect(page.locator("h1")).to_have_text("Sayğac işlərim")
    expect(page.locator("main")).to_contain_text(number)
    assert_accessible(page)
    page.screenshot(path=str(SCREENSHOTS / f"w3-my-cases-az-{width}.png"), full_page=True)
    page.get_by_role("link", name=number).click()
    main = page.locator("main")
    for text in (
        "Sayğac çıxarılıb, laboratoriyaya yoldadır",
        "Yoxlama laboratoriyası qəbul edib",
        "Müdaxilə edilib",
        "Qəbul zamanı aşkar edilmiş fərq",
        "Ödənilməli zərər",
    ):
        expect(main).to_contain_text(text)
    assert_accessible(page)
    page.screenshot(path=str(SCREENSHOTS / f"w3-case-az-{width}.png"), full_page=True)
    with page.expect_download() as download_info:
        page.locator("a[href*='/acts/']").filter(has_text="Bildiriş və rəy").click()
    path = download_dir / f"act-{width}.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    page.goto("/azerigaz/removals/new/")
    assert_accessible(page)
    page.screenshot(path=str(SCREENSHOTS / f"w3-open-case-az-{width}.png"), full_page=True)
    context.close()
    assert_no_csp_violations(violations)


def test_tampering_removal_to_restored_supply_in_azerbaijani(browser, live_server, world, eager_celery, tmp_path):
    context, admin, violations = staff_page(browser, live_server, world)
    admin.goto("/admin/removals/meterremoval/add/")
    admin.locator("[name=account_code]").fill("300400501")
    admin.locator("[name=serial_number]").fill("AQZ-G-801001")
    admin.locator("[name=reason]").select_option("tampering")
    admin.locator("[name=channel]").select_option("field_visit")
    admin.locator("input[type=submit]").click()
    expect(admin.locator(".messagelist")).to_be_visible()
    removal = MeterRemoval.objects.get()
    number = removal.application.number
    assert SupplySuspension.objects.filter(meter=world["meter"], restored_at__isnull=True).exists()

    step(
        admin,
        removal,
        "removal",
        {
            "removed_at": f"{DAYS_AGO[4].isoformat()}T10:30",
            "reading": "4821.337",
            "seals": "A-1, A-2",
            "bag_number": "BAG-1001",
        },
        {"consumer_present": "yes"},
    )
    step(admin, removal, "delivery", {"delivered_on": DAYS_AGO[3].isoformat()})
    step(admin, removal, "intake", {"intake_on": DAYS_AGO[2].isoformat(), "reading": "4821.337", "seals": "A-1, B-9"})
    assert Notification.objects.filter(template="removal_intake_mismatch").exists()
    step(
        admin,
        removal,
        "verification",
        {"verified_on": DAYS_AGO[1].isoformat(), "certificate_number": "DY-1001"},
        {"result": "tampered"},
    )
    step(admin, removal, "acts")
    act = Act.objects.get(removal=removal, kind=Act.Kind.NOTICE_OPINION)
    assert act.pdf  # rendered by the (eager) task after commit
    step(admin, removal, "damages")
    removal.refresh_from_db()
    assert removal.damages_invoice.total == Decimal("180.00")

    for width in (390, 1280):
        consumer_sees_the_case(browser, live_server, world, number, width, tmp_path)
        consumer_sees_the_case_in_russian(browser, live_server, world, number, width)

    step(admin, removal, "payment", {"amount": "180.00", "paid_on": TODAY.isoformat(), "external_id": "BANK-77"})
    assert Invoice.objects.get(pk=removal.damages_invoice_id).status == Invoice.Status.PAID
    step(admin, removal, "restore", {"note": "Zərər ödənildi, sayğac yenidən plomblandı"})
    assert not SupplySuspension.objects.filter(restored_at__isnull=True).exists()
    context.close()
    assert_no_csp_violations(violations)
