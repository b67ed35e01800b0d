"""W1: a citizen enters his subscriber code, the readings of his meters, and gets a number."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.models import Application, Status
from portal.models import Notification
from portal.urls_helpers import tenant_reverse
from readings.models import PhotoDraft, SubmittedReading
from readings.services import drafts
from readings.services.drafts import DRAFT_HOURS
from readings.tasks import purge_stale_photo_drafts
from tests.accounts.factories import UserFactory
from tests.meters.factories import MeterFactory, ReadingFactory, SubscriberAccountFactory, account_with_history
from tests.readings.helpers import YESTERDAY, form_data, line_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(tenant, branch):
    return account_with_history(tenant, branch)


@pytest.fixture
def citizen(client, user):
    user.preferred_language = "en"  # English messages and number formats
    user.save()
    client.force_login(user)
    return client


def start(client, tenant, code):
    return client.post(tenant_reverse(tenant, "readings:submit_readings"), {"code": code})


def form_url(tenant):
    return tenant_reverse(tenant, "readings:submit_readings_form")


def open_form(client, tenant, account):
    response = start(client, tenant, account.code)
    assert response.status_code == 302
    assert response["Location"] == form_url(tenant)


def submit(client, tenant, *lines, **kwargs):
    return client.post(form_url(tenant), form_data(*lines, **kwargs))


def test_unknown_code_is_refused_with_a_clear_message_and_no_next_step(citizen, tenant, account):
    response = start(citizen, tenant, "9999999")
    assert response.status_code == 200
    assert "There is no subscriber with this code" in response.content.decode()
    assert citizen.get(form_url(tenant))["Location"] == tenant_reverse(tenant, "readings:submit_readings")


def test_empty_code_asks_for_the_code(citizen, tenant, account):
    response = start(citizen, tenant, "  ")
    assert "Enter your subscriber code." in response.content.decode()


def test_code_not_matching_the_tenant_pattern_is_unknown(citizen, tenant, account):
    tenant.subscriber_code_pattern = r"^\d{15}$"
    tenant.save()
    response = start(citizen, tenant, account.code)
    assert "There is no subscriber with this code" in response.content.decode()


def test_code_of_another_tenant_is_unknown(citizen, tenant, other_tenant, account):
    foreign = SubscriberAccountFactory(tenant=other_tenant, code="7777777")
    response = start(citizen, tenant, foreign.code)
    assert "There is no subscriber with this code" in response.content.decode()


def test_form_shows_holder_address_last_reading_and_range(citizen, tenant, account, user):
    account.users.add(user)  # a holder sees the holder in full (see tests/readings/test_code_step_privacy.py)
    open_form(citizen, tenant, account)
    page = citizen.get(form_url(tenant)).content.decode()
    assert account.holder_name in page
    assert account.address in page
    assert "200.000" in page  # last accepted reading
    assert "230.000" in page  # 200 + 1/3 m³ a day × 30 days × 3
    assert 'name="idempotency_key"' in page


def test_valid_readings_register_an_application_and_email_the_number(citizen, tenant, account, user):
    open_form(citizen, tenant, account)
    response = submit(citizen, tenant, line_data(value="212.5"))
    application = Application.objects.get()
    done_url = tenant_reverse(tenant, "readings:submission_done", kwargs={"number": application.number})
    assert response["Location"] == done_url
    page = citizen.get(response["Location"]).content.decode()
    assert "Your application is registered." in page
    assert "Thank you for using our service." in page
    assert application.number in page
    line = application.reading_lines.get()
    assert (line.value, line.previous_value, line.flags) == (Decimal("212.5"), Decimal("200"), [])
    assert application.branch == account.branch and application.account == account
    mail = Notification.objects.get(template="readings_registered")
    assert mail.recipient == "citizen@example.com"
    assert application.number in mail.body and "Your application is registered." in mail.body


def test_reading_below_the_last_is_accepted_flagged_and_sent_to_an_on_site_check(citizen, tenant, account):
    # Issue #9, item 5 (the source rule): a reading that contradicts the database is checked on
    # site and the inspector's reading prevails; it used to be refused by the form.
    open_form(citizen, tenant, account)
    response = submit(citizen, tenant, line_data(value="199.999"))
    application = Application.objects.get()
    assert response.status_code == 302
    line = application.reading_lines.get()
    assert line.value == Decimal("199.999") and line.flags == [SubmittedReading.Flag.BELOW_BOOKED]
    assert application.status == Status.ON_SITE_CHECK
    check = application.on_site_checks.get()
    assert check.requested_by is None and check.due_on > tenant.today()
    page = citizen.get(response["Location"]).content.decode()
    assert "is below the last booked one" in page
    assert "An inspector will check the meters on site by" in page
    visit = Notification.objects.filter(template="readings_on_site_check")
    assert {n.channel for n in visit} == {Notification.Channel.EMAIL, Notification.Channel.SMS}
    assert all(application.number in n.body for n in visit)


def test_every_line_requires_a_photo_showing_the_factory_number_and_the_reading(citizen, tenant, account):
    open_form(citizen, tenant, account)
    page = citizen.get(form_url(tenant)).content.decode()
    assert "The factory number and the reading must be clearly readable on it." in page
    assert "Photo of the meter <span" not in page  # not marked optional
    page = submit(citizen, tenant, line_data(photo=False)).content.decode()
    assert page.count("Attach a photo of the meter showing its factory number and the reading.") == 2
    assert not Application.objects.exists()


@pytest.mark.parametrize("language", ["az", "ru"])
def test_the_reading_date_is_rendered_in_iso_and_posting_it_back_works(citizen, user, tenant, account, language):
    user.preferred_language = language
    user.save()
    open_form(citizen, tenant, account)
    page = citizen.get(form_url(tenant)).content.decode()
    today = tenant.today().isoformat()
    assert f'type="date" name="lines-0-reading_date" value="{today}"' in page
    assert submit(citizen, tenant, line_data(reading_date=today)).status_code == 302
    assert SubmittedReading.objects.get().reading_date == tenant.today()


def test_a_photo_is_kept_when_the_form_is_shown_again_with_an_error(citizen, user, tenant, branch):
    account = account_with_history(tenant, branch, meters=2)
    open_form(citizen, tenant, account)
    key = "a" * 32
    first = form_data(line_data(0), line_data(1, serial="SN-0001", seal="PL0001"), key=key)
    first["contact_email"] = "not an e-mail"
    page = citizen.post(form_url(tenant), first).content.decode()
    assert "There is a problem" in page
    drafts = PhotoDraft.objects.filter(form_key=key).order_by("line_index")
    assert [d.line_index for d in drafts] == [0, 1]
    assert page.count("Attached:") == 2 and "meter.jpg" in page
    assert "Attach a photo of the meter" not in page  # not asked again
    thumbnail = tenant_reverse(tenant, "readings:draft_photo", kwargs={"pk": drafts[0].pk})
    assert thumbnail in page
    assert citizen.get(thumbnail).status_code == 200

    # Sent again without choosing the files: the drafts become the lines' photos.
    again = form_data(line_data(0, photo=False), line_data(1, serial="SN-0001", seal="PL0001", photo=False), key=key)
    response = citizen.post(form_url(tenant), again)
    assert response.status_code == 302
    photos = sorted(line.photo.name for line in Application.objects.get().reading_lines.all())
    assert photos == sorted(d.file.name for d in drafts)
    assert not PhotoDraft.objects.exists()


def test_only_the_refused_photo_is_asked_again(citizen, tenant, branch):
    account = account_with_history(tenant, branch, meters=2)
    open_form(citizen, tenant, account)
    data = form_data(line_data(0), line_data(1, serial="SN-0001", seal="PL0001"), key="b" * 32)
    data["lines-1-photo"] = SimpleUploadedFile("bad.jpg", b"MZ\x90\x00" + b"\0" * 300, content_type="image/jpeg")
    page = citizen.post(form_url(tenant), data).content.decode()
    assert page.count("Attached:") == 1
    assert page.count("This file is not a photo or a PDF") == 2  # summary and line 2
    assert list(PhotoDraft.objects.values_list("line_index", flat=True)) == [0]


def test_a_draft_photo_can_be_removed_and_is_then_asked_again(
    citizen, tenant, account, django_capture_on_commit_callbacks
):
    open_form(citizen, tenant, account)
    key = "c" * 32
    citizen.post(form_url(tenant), {**form_data(line_data(), key=key), "contact_email": "x"})
    draft = PhotoDraft.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        page = citizen.post(form_url(tenant), {**form_data(line_data(photo=False), key=key), "remove_photo": "0"})
    assert "Attached:" not in page.content.decode()
    assert not PhotoDraft.objects.exists()
    assert not draft.file.storage.exists(draft.file.name)


def test_a_photo_refused_while_adding_a_meter_is_reported_at_the_top(citizen, tenant, account):
    open_form(citizen, tenant, account)
    data = {**form_data(line_data(photo=False), key="9" * 32), "add_line": "1"}
    data["lines-0-photo"] = SimpleUploadedFile("bad.jpg", b"MZ\x90\x00" + b"\0" * 300, content_type="image/jpeg")
    page = citizen.post(form_url(tenant), data).content.decode()
    assert 'name="lines-TOTAL_FORMS" value="2"' in page
    assert "Meter 1: This file is not a photo or a PDF" in page
    assert not PhotoDraft.objects.exists()


def test_a_user_keeps_at_most_the_newest_drafts(citizen, tenant, account, monkeypatch):
    monkeypatch.setattr(drafts, "MAX_DRAFTS_PER_USER", 2)
    open_form(citizen, tenant, account)
    for key in ("1" * 32, "2" * 32, "3" * 32):
        citizen.post(form_url(tenant), {**form_data(line_data(), key=key), "contact_email": "x"})
    assert sorted(PhotoDraft.objects.values_list("form_key", flat=True)) == ["2" * 32, "3" * 32]


def test_a_draft_photo_is_served_to_its_owner_only(citizen, client, tenant, account):
    open_form(citizen, tenant, account)
    citizen.post(form_url(tenant), {**form_data(line_data(), key="d" * 32), "contact_email": "x"})
    url = tenant_reverse(tenant, "readings:draft_photo", kwargs={"pk": PhotoDraft.objects.get().pk})
    response = citizen.get(url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    client.logout()
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_stale_drafts_are_purged_with_their_files(citizen, tenant, account, django_capture_on_commit_callbacks):
    open_form(citizen, tenant, account)
    citizen.post(form_url(tenant), {**form_data(line_data(), key="e" * 32), "contact_email": "x"})
    draft = PhotoDraft.objects.get()
    assert purge_stale_photo_drafts() == 0
    PhotoDraft.objects.update(created_at=timezone.now() - datetime.timedelta(hours=DRAFT_HOURS + 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_stale_photo_drafts() == 1
    assert not PhotoDraft.objects.exists()
    assert not draft.file.storage.exists(draft.file.name)


def test_the_form_offers_each_meter_with_its_serial_last_reading_and_range(citizen, tenant, branch):
    account = account_with_history(tenant, branch, meters=2)
    open_form(citizen, tenant, account)
    page = citizen.get(form_url(tenant)).content.decode()
    assert 'name="lines-0-serial_number" value="SN-0000"' in page
    assert 'name="lines-1-serial_number" value="SN-0001"' in page
    assert "Last booked reading: 200.000" in page and "Expected today: 200.000 – 230.000" in page
    assert 'data-last="200.000"' in page and "data-consumption" in page
    assert "Add another meter" in page


def test_reading_equal_to_the_last_is_zero_use_and_accepted(citizen, tenant, account):
    open_form(citizen, tenant, account)
    assert submit(citizen, tenant, line_data(value="200")).status_code == 302
    assert SubmittedReading.objects.get().value == Decimal("200")


def test_a_replacement_meter_starts_from_its_initial_reading(citizen, tenant, account):
    old = account.meters.get()
    old.status = old.Status.REPLACED
    old.save()
    MeterFactory(
        account=account,
        serial_number="NEW-1",
        replaces=old,
        initial_reading=Decimal("0"),
        installed_on=YESTERDAY - datetime.timedelta(days=5),
    )
    open_form(citizen, tenant, account)
    assert submit(citizen, tenant, line_data(serial=" new-1", value="3", seal="")).status_code == 302
    assert SubmittedReading.objects.get().meter.serial_number == "NEW-1"


def test_a_reading_below_the_installation_reading_is_also_checked_on_site(citizen, tenant, account):
    meter = account.meters.get()
    meter.readings.all().delete()
    meter.initial_reading = Decimal("50")
    meter.installed_on = YESTERDAY - datetime.timedelta(days=5)
    meter.save()
    open_form(citizen, tenant, account)
    response = submit(citizen, tenant, line_data(value="49"))
    assert "is below the last booked one (50.000)" in citizen.get(response["Location"]).content.decode()
    line = SubmittedReading.objects.get()
    assert line.flags == [SubmittedReading.Flag.BELOW_BOOKED] and line.previous_value is None
    assert line.application.status == Status.ON_SITE_CHECK


def test_the_old_meter_of_a_replacement_is_refused_clearly(citizen, tenant, account):
    old = account.meters.get()
    old.status = old.Status.REPLACED
    old.save()
    open_form(citizen, tenant, account)
    page = submit(citizen, tenant, line_data(value="210")).content.decode()
    assert "This meter has been removed or replaced" in page


def test_reading_date_in_the_future_is_refused(citizen, tenant, account):
    open_form(citizen, tenant, account)
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    page = submit(citizen, tenant, line_data(reading_date=tomorrow)).content.decode()
    assert "The reading date cannot be in the future." in page
    assert not Application.objects.exists()


def test_reading_date_before_the_last_accepted_reading_is_refused(citizen, tenant, account):
    open_form(citizen, tenant, account)
    page = submit(citizen, tenant, line_data(reading_date=YESTERDAY - datetime.timedelta(days=40))).content.decode()
    assert "The reading date cannot be before the last accepted reading" in page


def test_factory_number_of_another_account_is_refused(citizen, tenant, branch, account):
    other = account_with_history(tenant, branch, code="7654321")
    other.meters.update(serial_number="FOREIGN-1")
    open_form(citizen, tenant, account)
    page = submit(citizen, tenant, line_data(serial="FOREIGN-1")).content.decode()
    assert "This account has no meter with this factory number" in page


def test_factory_number_is_matched_without_case_and_spaces(citizen, tenant, account):
    open_form(citizen, tenant, account)
    assert submit(citizen, tenant, line_data(serial=" sn-00 00 ")).status_code == 302


def test_the_same_meter_twice_is_refused(citizen, tenant, account):
    open_form(citizen, tenant, account)
    page = submit(citizen, tenant, line_data(0), line_data(1, value="220")).content.decode()
    assert "is entered twice" in page


def test_an_empty_form_asks_for_at_least_one_line(citizen, tenant, account):
    open_form(citizen, tenant, account)
    page = submit(citizen, tenant, {}).content.decode()
    assert "This field is required." in page
    assert not Application.objects.exists()


def test_a_seal_number_that_differs_is_flagged_for_staff_not_refused(citizen, tenant, account):
    open_form(citizen, tenant, account)
    assert submit(citizen, tenant, line_data(seal="PL9999")).status_code == 302
    assert SubmittedReading.objects.get().flags == [SubmittedReading.Flag.SEAL_DIFFERS]


def test_implausible_reading_without_confirmation_shows_the_range(citizen, tenant, account):
    open_form(citizen, tenant, account)
    page = submit(citizen, tenant, line_data(value="900")).content.decode()
    assert "the expected range is 200 – 229" in page  # numbers as the locale writes them, no padding zeros
    assert not Application.objects.exists()


def test_implausible_reading_confirmed_with_photo_goes_to_staff_flagged(citizen, tenant, account):
    open_form(citizen, tenant, account)
    data = form_data(line_data(value="900", confirmed=True))
    assert citizen.post(form_url(tenant), data).status_code == 302
    line = SubmittedReading.objects.get()
    assert line.flags == [SubmittedReading.Flag.IMPLAUSIBLE_JUMP, SubmittedReading.Flag.CONFIRMED_BY_CITIZEN]
    assert line.photo.name.endswith(".jpg") and "meter" not in line.photo.name


def test_posting_the_same_form_twice_creates_one_application(citizen, tenant, account):
    open_form(citizen, tenant, account)
    data = form_data(line_data(), key="5f0c1d7e9a2b4c3d8e6f7a1b2c3d4e5f")
    first = citizen.post(form_url(tenant), data)
    # The session forgot the account after the first submission; the key still finds the application.
    second = citizen.post(form_url(tenant), data)
    open_form(citizen, tenant, account)
    third = citizen.post(form_url(tenant), data)
    assert Application.objects.count() == 1
    assert first["Location"] == third["Location"]
    assert second.status_code == 302
    assert Notification.objects.filter(template="readings_registered").count() == 1


def test_add_another_meter_without_javascript_keeps_the_values(citizen, tenant, branch):
    account = account_with_history(tenant, branch, meters=2)
    open_form(citizen, tenant, account)
    data = form_data(line_data(value="213.4"), key="0123456789abcdef0123456789abcdef")
    data["add_line"] = "1"
    page = citizen.post(form_url(tenant), data).content.decode()
    assert 'name="lines-TOTAL_FORMS" value="2"' in page
    assert 'value="213.4"' in page
    assert 'name="lines-1-serial_number"' in page
    assert "0123456789abcdef0123456789abcdef" in page
    assert "There is a problem" not in page
    assert not Application.objects.exists()


def test_two_meters_in_one_application(citizen, tenant, branch):
    account = account_with_history(tenant, branch, meters=2)
    open_form(citizen, tenant, account)
    page = citizen.get(form_url(tenant)).content.decode()
    assert 'name="lines-TOTAL_FORMS" value="2"' in page  # a line per meter from the start
    assert submit(citizen, tenant, line_data(0), line_data(1, serial="SN-0001", seal="PL0001")).status_code == 302
    assert Application.objects.get().reading_lines.count() == 2


def queries_on_form_page(client, tenant, account):
    open_form(client, tenant, account)
    client.get(form_url(tenant))  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(form_url(tenant))
    return len(queries), response.content.decode().count("<tr>")


def test_form_page_query_count_does_not_grow_with_meters(citizen, tenant, branch, django_assert_max_num_queries):
    one = account_with_history(tenant, branch, meters=1, readings=3, code="1000001")
    twenty = account_with_history(tenant, branch, meters=20, readings=3, code="1000020")
    count_one, rows_one = queries_on_form_page(citizen, tenant, one)
    count_twenty, rows_twenty = queries_on_form_page(citizen, tenant, twenty)
    assert (rows_one, rows_twenty) == (2, 21)  # header + one row per meter
    assert count_one == count_twenty
    with django_assert_max_num_queries(count_one):
        citizen.get(form_url(tenant))


def test_meter_of_another_tenant_never_shows(citizen, tenant, other_tenant, account):
    foreign_meter = MeterFactory(account=SubscriberAccountFactory(tenant=other_tenant), serial_number="SN-0000X")
    ReadingFactory(meter=foreign_meter)
    open_form(citizen, tenant, account)
    assert "SN-0000X" not in citizen.get(form_url(tenant)).content.decode()


def test_a_refused_photo_is_shown_next_to_the_line_and_in_the_summary(client, user, tenant, branch):
    user.preferred_language = "en"
    user.save()
    client.force_login(user)
    account = account_with_history(tenant, branch)
    client.post(tenant_reverse(tenant, "readings:submit_readings"), {"code": account.code})
    data = form_data(line_data())
    data["lines-0-photo"] = SimpleUploadedFile("meter.jpg", b"MZ\x90\x00" + b"\0" * 300, content_type="image/jpeg")
    page = client.post(tenant_reverse(tenant, "readings:submit_readings_form"), data).content.decode()
    assert page.count("This file is not a photo or a PDF") == 2
    assert not SubmittedReading.objects.exists()


def test_a_200_mb_request_is_refused_with_413_and_no_application(client, user, tenant, branch):
    user.preferred_language = "en"
    user.save()
    client.force_login(user)
    account = account_with_history(tenant, branch)
    client.post(tenant_reverse(tenant, "readings:submit_readings"), {"code": account.code})
    response = client.generic(
        "POST",
        tenant_reverse(tenant, "readings:submit_readings_form"),
        data=b"x" * 100,
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "The files are too large" in response.content.decode()
    assert not Application.objects.exists()
