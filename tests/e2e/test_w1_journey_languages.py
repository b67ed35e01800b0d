"""W1 as a citizen meets it in Azerbaijani and Russian, on a phone and on a desktop (issue #9):
the date fields show their value, two photos survive a validation error without being asked
again, and a reading below the booked one is registered and sent to an on-site check.

Selectors use names and ids, not labels, so the test reads the same in every language; axe
checks that every input still has its label."""

import datetime
import io
from decimal import Decimal

import pytest
from PIL import Image
from playwright.sync_api import expect

from applications.models import Application, Status
from portal.models import Notification, Workflow
from portal.urls_helpers import tenant_reverse
from readings.models import PhotoDraft, SubmittedReading
from tests.accounts.factories import PASSWORD, UserFactory
from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import assert_no_csp_violations, watch_for_csp_violations
from tests.meters.factories import MeterFactory, ReadingFactory, SubscriberAccountFactory
from tests.portal.factories import BranchFactory, TenantFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Asia/Baku is ahead of UTC: "yesterday" by the test's clock is never in the tenant's future.
YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)
LAST_READING_DATE = datetime.date.today() - datetime.timedelta(days=30)
CODE = "7005555"
# (serial, seal, last booked, entered): the second is below its booked 340 m³.
METERS = [("SN-KITCHEN-01", "PL-1001", Decimal("200"), "209.5"), ("SN-BATH-02", "PL-1002", Decimal("340"), "331")]


@pytest.fixture
def citizen_world(transactional_db):
    def build(language):
        tenant = TenantFactory(
            slug="azersu",
            name="Azersu",
            default_language="az",
            application_prefix="AZS",
            workflows=[Workflow.METER_READINGS.value],
        )
        account = SubscriberAccountFactory(
            tenant=tenant, branch=BranchFactory(tenant=tenant), code=CODE, holder_name="Aysel Mammadova"
        )
        for serial, seal, last_value, _entered in METERS:
            meter = MeterFactory(account=account, serial_number=serial, seal_number=seal)
            for months_back in range(6):
                ReadingFactory(
                    meter=meter,
                    value=last_value - 10 * months_back,
                    reading_date=LAST_READING_DATE - datetime.timedelta(days=30 * months_back),
                )
        citizen = UserFactory(email="aysel@example.com", preferred_language=language, phone="+994501112233")
        account.users.add(citizen)
        return tenant

    return build


def photo(tmp_path, name, colour):
    path = tmp_path / name
    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), colour).save(buffer, "PNG" if name.endswith(".png") else "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def send(page):
    page.locator("form.readings-form > button[type=submit]").last.click()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("language", ["az", "ru"])
def test_w1_journey_keeps_photos_through_an_error_and_sends_a_low_reading_to_an_on_site_check(
    browser, live_server, eager_celery, citizen_world, tmp_path, language, width
):
    tenant = citizen_world(language)
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900}, locale=language)
    context.set_default_timeout(10_000)
    violations = watch_for_csp_violations(context)
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        page.locator("main input[type=email]").fill("aysel@example.com")
        page.locator("main input[type=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").first.click()
        expect(page.locator(".account-nav form, .account-nav a[href*=logout]").first).to_be_attached()

        page.goto(tenant_reverse(tenant, "readings:submit_readings"))
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert_accessible(page)
        page.locator("input[name=code]").fill(CODE)
        page.locator("main form button[type=submit]").first.click()

        # The form: one line per meter, its serial filled in, the date shown (ISO in every language).
        lines = page.locator("[data-line]")
        expect(lines).to_have_count(2)
        today_shown = page.locator("#id_lines-0-reading_date").input_value()
        assert today_shown and datetime.date.fromisoformat(today_shown) >= YESTERDAY
        assert_accessible(page)
        photos = {
            "SN-KITCHEN-01": photo(tmp_path, "kitchen.jpg", (40, 90, 160)),
            "SN-BATH-02": photo(tmp_path, "bath.png", (200, 120, 40)),
        }
        offered = [page.locator(f"#id_lines-{index}-serial_number").input_value() for index in range(2)]
        assert sorted(offered) == sorted(photos)
        by_serial = {meter[0]: meter for meter in METERS}
        for index, serial in enumerate(offered):
            _serial, seal, _last, value = by_serial[serial]
            file = photos[serial]
            page.locator(f"#id_lines-{index}-seal_number").fill(seal)
            page.locator(f"#id_lines-{index}-value").fill(value)
            page.locator(f"#id_lines-{index}-reading_date").fill(YESTERDAY.isoformat())
            page.locator(f"#id_lines-{index}-photo").set_input_files(file)
        # The consumption as he types (static/js/readings.js); the low one says it will be checked.
        kitchen, bath = offered.index("SN-KITCHEN-01"), offered.index("SN-BATH-02")
        expect(lines.nth(kitchen).locator("[data-consumption]")).to_contain_text("9")
        below = lines.nth(bath).locator("[data-consumption]")
        expect(below).to_have_text(below.get_attribute("data-below"))

        page.locator("#id_contact_email").fill("not an e-mail")
        send(page)

        # One validation error: both photos are kept, shown, and not asked for again.
        expect(page.locator(".error-summary")).to_be_visible()
        expect(page.locator("[data-attached]")).to_have_count(2)
        expect(lines.nth(kitchen).locator("[data-attached]")).to_contain_text("kitchen.jpg")
        expect(lines.nth(bath).locator("[data-attached]")).to_contain_text("bath.png")
        thumbnail = page.locator("[data-attached] img").first
        expect(thumbnail).to_be_visible()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
        expect(page.locator("#id_lines-0-photo")).not_to_be_visible()  # behind "choose another photo"
        assert page.locator(".reading-line .field-error").count() == 0
        expect(page.locator(f"#id_lines-{bath}-value")).to_have_value("331")
        assert PhotoDraft.objects.count() == 2
        assert_accessible(page)

        page.locator("#id_contact_email").fill("aysel@example.com")
        send(page)

        expect(page.locator(".application-number")).to_be_visible()
        expect(page.locator(".on-site-check")).to_contain_text("SN-BATH-02")
        assert_accessible(page)
    finally:
        context.close()
    assert_no_csp_violations(violations)

    application = Application.objects.get()
    assert application.status == Status.ON_SITE_CHECK
    lines = {line.entered_serial: line for line in application.reading_lines.all()}
    assert all(line.photo for line in lines.values())
    assert lines["SN-BATH-02"].value == Decimal("331")
    assert lines["SN-BATH-02"].flags == [SubmittedReading.Flag.BELOW_BOOKED]
    assert lines["SN-KITCHEN-01"].flags == []
    check = application.on_site_checks.get()
    assert check.due_on > YESTERDAY
    visit = Notification.objects.filter(template="readings_on_site_check")
    assert {n.channel for n in visit} == {Notification.Channel.EMAIL, Notification.Channel.SMS}
    assert not PhotoDraft.objects.exists()
