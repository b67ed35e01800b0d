"""W1 in a real browser: a citizen submits the readings of two meters with photos, staff accept them
in the admin behind TOTP, and the citizen sees the application executed and downloads the invoice."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from applications.models import Application, Status
from billing.models import Invoice
from portal.models import Notification, Workflow
from tests.accounts.factories import PASSWORD, UserFactory
from tests.billing.factories import TariffBlockFactory, TariffFactory
from tests.e2e.conftest import assert_no_csp_violations, watch_for_csp_violations
from tests.meters.factories import MeterFactory, ReadingFactory, SubscriberAccountFactory
from tests.portal.factories import BranchFactory, StaffMembershipFactory, TenantFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Asia/Baku is ahead of UTC: "yesterday" by the test's clock is never in the tenant's future.
YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)
LAST_READING_DATE = datetime.date.today() - datetime.timedelta(days=30)
SUBSCRIBER_CODE = "7001234"
# Last accepted readings 200 and 340 m³ thirty days ago, about 1/3 m³ a day since: in range.
METERS = [("SN-KITCHEN-01", "PL-1001", Decimal("200"), "209.5"), ("SN-BATH-02", "PL-1002", Decimal("340"), "348")]


@pytest.fixture
def world(transactional_db):
    tenant = TenantFactory(
        slug="azersu",
        name="Azersu",
        default_language="en",
        application_prefix="AZS",
        workflows=[Workflow.METER_READINGS.value],
    )
    branch = BranchFactory(tenant=tenant, name="Baku water branch")
    account = SubscriberAccountFactory(
        tenant=tenant, branch=branch, code=SUBSCRIBER_CODE, holder_name="Aysel Mammadova", address="Nizami 12, Baku"
    )
    for serial, seal, last_value, _entered in METERS:
        meter = MeterFactory(account=account, serial_number=serial, seal_number=seal)
        for months_back in range(6):
            ReadingFactory(
                meter=meter,
                value=last_value - 10 * months_back,
                reading_date=LAST_READING_DATE - datetime.timedelta(days=30 * months_back),
            )
    TariffBlockFactory(tariff=TariffFactory(tenant=tenant), up_to=None, price=Decimal("0.7000"))
    citizen = UserFactory(email="aysel@example.com", full_name="Aysel Mammadova", preferred_language="en")
    # She holds the account (added it with the access code of an earlier invoice): submitting
    # readings alone would not let her download the invoice (issue #8).
    account.users.add(citizen)

    reviewer = UserFactory(email="reviewer@azersu.test", is_staff=True, preferred_language="en")
    StaffMembershipFactory(tenant=tenant, user=reviewer).branches.add(branch)
    reviewer.user_permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["meters", "applications", "billing", "readings"])
    )
    device = TOTPDevice.objects.create(user=reviewer, name="phone", confirmed=True)
    return {"tenant": tenant, "account": account, "citizen": citizen, "reviewer": reviewer, "device": device}


def image_file(tmp_path, name, colour):
    """A small real photo: the upload check opens it with Pillow, so the bytes must be an image."""
    path = tmp_path / name
    image = Image.new("RGB", (120, 90), colour)
    buffer = io.BytesIO()
    image.save(buffer, "PNG" if name.endswith(".png") else "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def current_token(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def citizen_submits_two_meters(page, tmp_path):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill("aysel@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page.locator(".account-nav")).to_contain_text("Log out")

    page.goto("/azersu/")
    page.locator(".card-list .card h2 a").click()
    expect(page.locator("h1")).to_have_text("Submit meter readings")
    page.get_by_label("Subscriber code").fill(SUBSCRIBER_CODE)
    page.get_by_role("button", name="Continue").click()

    expect(page.locator("h1")).to_have_text("Meter readings")
    expect(page.locator(".summary")).to_contain_text("Aysel Mammadova")
    lines = page.locator("[data-line]")
    expect(lines).to_have_count(2)  # one line per meter in service
    photos = [image_file(tmp_path, "kitchen.jpg", (40, 90, 160)), image_file(tmp_path, "bath.png", (200, 120, 40))]
    for index, ((serial, seal, _last, value), photo) in enumerate(zip(METERS, photos, strict=True)):
        line = lines.nth(index)
        line.get_by_label("Factory number").fill(serial)
        line.get_by_label("Seal number").fill(seal)
        line.get_by_label("Reading", exact=True).fill(value)
        line.get_by_label("Reading date").fill(YESTERDAY.isoformat())
        line.get_by_label("Photo of the meter").set_input_files(photo)

    # "Add another meter" with JavaScript: a third line without a reload, the chosen files kept.
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Add another meter").click()
    expect(lines).to_have_count(3)
    expect(lines.nth(2).locator("legend")).to_have_text("Meter 3")
    expect(lines.nth(2).get_by_label("Factory number")).to_be_focused()
    assert page.evaluate("window.notReloaded") is True
    assert page.locator("#id_lines-TOTAL_FORMS").input_value() == "3"
    assert lines.nth(1).get_by_label("Photo of the meter").evaluate("input => input.files[0].name") == "bath.png"
    page.screenshot(path="/tmp/w1-form.png", full_page=True)

    page.get_by_label("Mobile phone").fill("+994501112233")
    page.get_by_label("E-mail").fill("aysel@example.com")
    page.get_by_role("button", name="Submit", exact=True).click()

    expect(page.locator("h1")).to_have_text("Your application is registered.")
    expect(page.locator(".panel-confirmation")).to_contain_text("Thank you for using our service.")
    number = page.locator(".application-number").inner_text()
    assert number.startswith(f"AZS-{datetime.date.today().year}-")
    return number


def staff_accept_in_the_admin(browser, live_server, world, number):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    violations = watch_for_csp_violations(context)
    admin = context.new_page()
    try:
        admin.goto("/admin/")
        # One form for everyone: e-mail, password, the kind of code (the authenticator app by
        # default) and the code, in one submit; a refusal never renders the password back.
        admin.get_by_label("E-mail").fill("reviewer@azersu.test")
        admin.get_by_label("Password").fill("not-the-password")
        admin.get_by_label("OTP Token").fill(current_token(world["device"]))
        admin.get_by_role("button", name="Log in").click()
        expect(admin.locator("main")).to_contain_text("Please enter the correct e-mail address, password and code")
        expect(admin.get_by_label("Password")).to_have_value("")
        admin.get_by_label("Password").fill(PASSWORD)
        expect(admin.get_by_label("OTP Device")).to_have_value("totp")
        admin.get_by_label("OTP Token").fill(current_token(world["device"]))
        admin.get_by_role("button", name="Log in").click()
        expect(admin.locator("#user-tools")).to_contain_text("Log out")

        admin.get_by_role("link", name="Readings applications").first.click()
        row = admin.locator("#result_list tbody tr", has_text=number)
        expect(row).to_have_count(1)
        # The review page (flag badges styled by static/css/staff.css, nothing inline), then back.
        row.get_by_role("link", name=number).click()
        expect(admin.locator("table.readings-review")).to_be_visible()
        expect(admin.locator("img.reading-photo-thumbnail")).to_have_count(2)
        thumbnail = admin.locator("img.reading-photo-thumbnail").first
        thumbnail.scroll_into_view_if_needed()
        admin.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
        # Accept from the review page itself; the admin asks for a confirmation first.
        admin.get_by_role("button", name="Accept…").click()
        expect(admin.locator("#content")).to_contain_text("Booked readings cannot be taken back.")
        admin.get_by_role("button", name="Accept the readings").click()
        expect(admin.locator(".messagelist")).to_contain_text("1 application accepted.")
    finally:
        context.close()
    assert_no_csp_violations(violations)


def test_a_citizen_submits_two_meters_staff_accept_and_the_citizen_downloads_the_invoice(
    page, browser, live_server, world, tmp_path
):
    number = citizen_submits_two_meters(page, tmp_path)
    application = Application.objects.get(number=number)
    assert application.status == Status.SUBMITTED
    assert sorted(line.entered_serial for line in application.reading_lines.all()) == sorted(m[0] for m in METERS)
    assert all(line.photo for line in application.reading_lines.all())

    staff_accept_in_the_admin(browser, live_server, world, number)

    page.goto(f"/azersu/applications/{number}/")
    expect(page.locator(".summary .status")).to_have_text("Executed")
    invoice = Invoice.objects.get(application=application)
    # (209.5 − 200) + (348 − 340) = 17.5 m³ at 0.70 AZN, VAT included.
    assert invoice.total == Decimal("12.25")
    expect(page.locator("main")).to_contain_text(f"Invoice {invoice.number}")
    page.screenshot(path="/tmp/w1-detail.png", full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the invoice").click()
    download = download_info.value
    assert download.suggested_filename == f"{invoice.number}.pdf"
    pdf_path = tmp_path / "invoice.pdf"
    download.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF-")
    text = " ".join(pdf_page.extract_text() for pdf_page in PdfReader(pdf_path).pages)
    assert invoice.number in text
    assert "12.25" in text

    page.goto(f"/azersu/my/accounts/{SUBSCRIBER_CODE}/")
    expect(page.locator("h1")).to_contain_text(SUBSCRIBER_CODE)
    expect(page.get_by_role("link", name=invoice.number)).to_be_visible()
    page.screenshot(path="/tmp/w1-account.png", full_page=True)

    emails = {n.template: n for n in Notification.objects.filter(channel=Notification.Channel.EMAIL)}
    assert set(emails) == {"readings_registered", "invoice_ready"}
    assert all(n.recipient == "aysel@example.com" and n.status == Notification.Status.SENT for n in emails.values())
    assert number in emails["readings_registered"].body
    assert invoice.number in emails["invoice_ready"].body and emails["invoice_ready"].attachments
