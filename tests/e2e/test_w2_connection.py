"""W2 in a real browser, in Azerbaijani (on a phone and on a desktop) and once in Russian: the
citizen calculates the fee (in place, by JavaScript), gets the distance, confirms his mobile with
the SMS code and sends; staff take the request through its stages in the admin behind TOTP; the
citizen sees every stage with its date and downloads the technical conditions.

Selectors use names, values and classes, not labels, so the test reads the same in every
language; axe checks that every input still has its label. Screenshots go to var/screenshots/."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import PersonalDetails
from applications.models import Application, Status
from connections.demo_fees import seed_fee_schedules
from connections.services import stages
from portal.models import Notification, Workflow
from portal.urls_helpers import tenant_reverse
from tests.accounts.factories import PASSWORD, UserFactory
from tests.connections.factories_gis import DistrictFactory, ParcelFactory, PowerCentreFactory, offset
from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import assert_no_csp_violations, watch_for_csp_violations
from tests.portal.factories import BranchFactory, StaffMembershipFactory, TenantFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
REGISTRY, REGISTRATION = "NSM-0001", "050001"


@pytest.fixture
def world(transactional_db):
    def build(language):
        tenant = TenantFactory(
            slug="azerishiq",
            name="Azerishiq",
            default_language="az",
            application_prefix="AZI",
            workflows=[Workflow.GRID_CONNECTION.value],
        )
        seed_fee_schedules(tenant)
        branch = BranchFactory(tenant=tenant, code="baku-south", name="Bakı Cənub Elektrik Şəbəkəsi")
        district = DistrictFactory(
            tenant=tenant, code="nasimi", name="Nəsimi", name_ru="Насиминский район", branch=branch
        )
        lat, lon = offset(metres_north=300)
        PowerCentreFactory(
            district=district, code="NSM-TM-1", name="Transformator məntəqəsi 1", latitude=lat, longitude=lon
        )
        ParcelFactory(district=district, registry_number=REGISTRY, registration_number=REGISTRATION)
        citizen = UserFactory(
            email="aysel@example.com", full_name="Aysel Məmmədova", preferred_language=language, phone="+994501112233"
        )
        PersonalDetails.objects.create(
            user=citizen,
            country="AZ",
            surname="Məmmədova",
            given_name="Aysel",
            patronymic="Rəşid qızı",
            personal_id_number="5ABC123",
            id_document="AZE 12345678",
            birth_date=datetime.date(1988, 4, 12),
            address="Bakı, Nizami küçəsi 12",
        )
        reviewer = UserFactory(email="staff@azerishiq.test", is_staff=True, preferred_language="en")
        StaffMembershipFactory(tenant=tenant, user=reviewer).branches.add(branch)
        reviewer.user_permissions.add(
            *Permission.objects.filter(content_type__app_label__in=["connections", "applications", "billing"])
        )
        device = TOTPDevice.objects.create(user=reviewer, name="phone", confirmed=True)
        return {"tenant": tenant, "citizen": citizen, "reviewer": reviewer, "device": device, "district": district}

    return build


def new_page(browser, live_server, *, width, language):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900}, locale=language)
    context.set_default_timeout(15_000)
    return context, watch_for_csp_violations(context)


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def log_in(page, email):
    page.goto("/accounts/login/")
    page.locator("main input[type=email]").fill(email)
    page.locator("main input[type=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".account-nav form, .account-nav a[href*=logout]").first).to_be_attached()


def step(page, name):
    page.locator(f"main form button[name=step][value={name}]:not(.visually-hidden)").click()


def citizen_applies(page, world, *, language, width):
    tenant = world["tenant"]
    log_in(page, "aysel@example.com")
    page.goto(tenant_reverse(tenant, "connections:apply"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator(".basic-data")).to_contain_text("5ABC123")
    assert_accessible(page)

    # Calculate with JavaScript: the fee box appears without a reload.
    page.evaluate("window.notReloaded = true")
    page.locator("input[name=power_kw]").fill("8")
    page.locator("button[data-calculate]").click()
    expect(page.locator("#quote-result .quote-box")).to_contain_text("320")
    expect(page.locator("#quote-result .quote-alternatives")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True

    # Continue: the distance to the nearest power centre from the GIS.
    page.locator("select[name=district]").select_option(str(world["district"].pk))
    page.locator("input[name=registry_number]").fill(REGISTRY)
    page.locator("input[name=registration_number]").fill(REGISTRATION)
    step(page, "locate")
    expect(page.locator("#location-result .distance")).to_have_text(re.compile(r"30\d"))
    expect(page.locator("#quote-result .quote-box")).to_contain_text("320")  # kept on the page

    # The SMS code, read from the outbox.
    step(page, "send_code")
    sms = Notification.objects.filter(channel=Notification.Channel.SMS, template="connections_sms_code").latest("pk")
    code = re.search(r"\b(\d{6})\b", sms.body).group(1)
    page.locator("input[name=sms_code]").fill(code)
    step(page, "confirm_code")
    expect(page.locator(".phone-confirmed")).to_be_visible()
    assert_accessible(page)
    shot(page, f"w2-form-{language}-{width}.png")

    step(page, "submit")
    application = Application.objects.get()
    expect(page.locator("h1")).to_contain_text(application.number)
    expect(page.locator(".messagelist, .messages, main").first).to_contain_text(application.number)
    return application


def current_token(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def admin_action(admin, number, action, fields=None):
    admin.goto("/admin/connections/connectionapplication/")
    row = admin.locator("#result_list tbody tr", has_text=number)
    row.locator("input[name=_selected_action]").check()
    admin.locator("select[name=action]").select_option(action)
    admin.locator("button[name=index]").click()
    if fields is not None:
        for name, value in fields.items():
            admin.locator(f"[name={name}]").fill(value)
        admin.locator("input[name=apply]").click()
    expect(admin.locator(".messagelist")).to_be_visible()
    expect(admin.locator(".messagelist .warning")).to_have_count(0)


def staff_take_it_to_connection(browser, live_server, world, number):
    context, violations = new_page(browser, live_server, width=1280, language="en")
    admin = context.new_page()
    today = world["tenant"].today().isoformat()
    try:
        admin.goto("/admin/")
        admin.locator("input[name=username]").fill("staff@azerishiq.test")
        admin.locator("input[name=password]").fill(PASSWORD)
        admin.locator("input[name=otp_token]").fill(current_token(world["device"]))
        admin.locator("input[type=submit], button[type=submit]").last.click()
        expect(admin.locator("#user-tools")).to_be_visible()

        admin_action(admin, number, "start_review")
        # An issue out of order is refused with the application's number.
        admin.goto("/admin/connections/connectionapplication/")
        admin.locator("#result_list tbody tr", has_text=number).locator("input[name=_selected_action]").check()
        admin.locator("select[name=action]").select_option("connect")
        admin.locator("button[name=index]").click()
        admin.locator("[name=connected_on]").fill(today)
        admin.locator("[name=meter_serial]").fill("AZI-M-0001")
        admin.locator("input[name=apply]").click()
        expect(admin.locator(".messagelist .warning")).to_contain_text(number)

        admin_action(admin, number, "issue_fee_invoice", fields={})
        admin_action(admin, number, "record_payment", fields={"paid_on": today, "external_id": "KAPITAL-2026-000777"})
        admin_action(admin, number, "issue_conditions", fields={"text": "Kabel 4×16 mm², 0,4 kV dirək 3-dən."})
        admin_action(admin, number, "connect", fields={"connected_on": today, "meter_serial": "AZI-M-0001"})
        # The request's page: the quote, the distance with the parcel and the centre, the stages.
        admin.locator("#result_list tbody tr", has_text=number).get_by_role("link", name=number).click()
        expect(admin.locator("main, #content").first).to_contain_text("NSM-TM-1")
        shot(admin, "w2-admin-request.png")
    finally:
        context.close()
    assert_no_csp_violations(violations)


def citizen_sees_the_stages_and_downloads_the_conditions(page, application, tmp_path, *, language, width):
    page.goto(tenant_reverse(application.tenant, "applications:detail", kwargs={"number": application.number}))
    expect(page.locator(".stages .stage")).to_have_count(6)
    expect(page.locator(".stages .stage-done")).to_have_count(6)  # closed: the last clock stopped too
    expect(page.locator(".stages .stage-dates time").first).to_be_visible()
    expect(page.locator(".payment-reference")).not_to_be_empty()
    expect(page.locator(".connected")).to_contain_text("AZI-M-0001")
    assert_accessible(page)
    shot(page, f"w2-application-{language}-{width}.png")
    with page.expect_download() as download_info:
        page.locator("a.conditions-pdf").click()
    path = tmp_path / "conditions.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize("width", [390, 1280])
def test_w2_in_azerbaijani_from_the_form_to_the_connection(browser, live_server, eager_celery, world, tmp_path, width):
    built = world("az")
    context, violations = new_page(browser, live_server, width=width, language="az")
    page = context.new_page()
    try:
        application = citizen_applies(page, built, language="az", width=width)
        assert {n.channel for n in Notification.objects.filter(template="connections_registered")} == {"email", "sms"}
        staff_take_it_to_connection(browser, live_server, built, application.number)
        application.refresh_from_db()
        assert application.status == Status.EXECUTED and application.stage == "connected"
        citizen_sees_the_stages_and_downloads_the_conditions(page, application, tmp_path, language="az", width=width)
    finally:
        context.close()
    assert_no_csp_violations(violations)


def test_w2_in_russian(browser, live_server, eager_celery, world, tmp_path, django_capture_on_commit_callbacks):
    built = world("ru")
    context, violations = new_page(browser, live_server, width=1280, language="ru")
    page = context.new_page()
    try:
        application = citizen_applies(page, built, language="ru", width=1280)
        expect(page.locator("main")).to_contain_text("Зарегистрирована")
        staff, today = built["reviewer"], built["tenant"].today()
        stages.start_review(application=application, actor=staff)
        stages.issue_fee_invoice(application=application, actor=staff)
        stages.record_fee_payment(application=application, actor=staff, paid_on=today, external_id="RU-1")
        stages.issue_conditions(application=application, actor=staff, text="Кабель 4×16 мм²")
        stages.connect(application=application, actor=staff, connected_on=today, meter_serial="AZI-M-0001")
        citizen_sees_the_stages_and_downloads_the_conditions(page, application, tmp_path, language="ru", width=1280)
    finally:
        context.close()
    assert_no_csp_violations(violations)
