"""Issue #9, item 5: a citizen may add a meter the account does not list (new or replaced). The line
is kept without a meter, flagged, and checked on site, where the inspector registers the meter."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications.models import Status
from meters.models import Meter, Reading
from readings.models import OnSiteCheck, SubmittedReading
from readings.services import NewMeter, ReviewRefused, accept_readings, record_on_site_check
from tests.meters.factories import account_with_history
from tests.portal.factories import login_verified_staff
from tests.readings.helpers import YESTERDAY, line_data
from tests.readings.test_admin_review import changelist, staff
from tests.readings.test_submit_readings import open_form, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(tenant, branch):
    return account_with_history(tenant, branch)


@pytest.fixture
def citizen(client, user):
    user.preferred_language = "en"
    user.save()
    client.force_login(user)
    return client


def submit_unlisted(citizen, tenant, account, **kwargs):
    open_form(citizen, tenant, account)
    response = submit(citizen, tenant, line_data(0), line_data(1, serial="NEW 777", value="12", **kwargs))
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def test_an_unlisted_factory_number_is_kept_flagged_and_checked_on_site(citizen, tenant, account):
    response = submit_unlisted(citizen, tenant, account)
    unlisted = SubmittedReading.objects.get(meter__isnull=True)
    assert unlisted.entered_serial == "NEW 777" and unlisted.value == Decimal("12")
    assert unlisted.flags == [SubmittedReading.Flag.UNLISTED_METER]
    assert unlisted.photo
    listed = SubmittedReading.objects.get(meter__isnull=False)
    assert listed.meter == account.meters.get()
    application = unlisted.application
    assert application.status == Status.ON_SITE_CHECK
    check = OnSiteCheck.objects.get(application=application)
    assert "NEW 777" in check.reason and "not registered" in check.reason
    page = citizen.get(response["Location"]).content.decode()
    assert "Meter №NEW 777 is not registered on your account" in page
    assert "An inspector will check the meters on site" in page


def test_an_unlisted_line_still_needs_its_photo(citizen, tenant, account):
    open_form(citizen, tenant, account)
    page = submit(citizen, tenant, line_data(serial="NEW 777", photo=False)).content.decode()
    assert "Attach a photo of the meter" in page
    assert not SubmittedReading.objects.exists()


def test_the_same_unlisted_number_twice_is_refused(citizen, tenant, account):
    open_form(citizen, tenant, account)
    page = submit(citizen, tenant, line_data(0, serial="NEW 777"), line_data(1, serial="new777")).content.decode()
    assert "is entered twice" in page


def test_acceptance_is_refused_until_the_meter_is_registered(citizen, tenant, account, branch):
    submit_unlisted(citizen, tenant, account)
    application = SubmittedReading.objects.get(meter__isnull=True).application
    # Staff may still decide on an application at the on-site check; put it back under review to try.
    application.status = Status.IN_REVIEW
    application.save(update_fields=["status"])
    with pytest.raises(ReviewRefused) as refused:
        accept_readings(application=application, actor=staff(tenant, [branch], "reviewer@azersu.test"))
    assert "register the meter first" in " ".join(refused.value.messages)
    assert not Reading.objects.filter(source=Reading.Source.CITIZEN).exists()
    assert SubmittedReading.objects.filter(outcome=SubmittedReading.Outcome.PENDING).count() == 2


def test_the_review_page_shows_the_unlisted_line(client, citizen, tenant, account, branch):
    submit_unlisted(citizen, tenant, account)
    application = SubmittedReading.objects.get(meter__isnull=True).application
    login_verified_staff(client, staff(tenant, [branch], "reviewer@azersu.test"))
    page = client.get(reverse("admin:readings_readingsapplication_change", args=[application.pk])).content.decode()
    assert "Not registered on the account" in page
    assert "Meter №NEW 777 is not on the account: register it when recording the on-site check" in page
    assert changelist()


def test_recording_the_on_site_check_registers_the_meter_and_books_the_reading(citizen, tenant, account, branch):
    submit_unlisted(citizen, tenant, account)
    line = SubmittedReading.objects.get(meter__isnull=True)
    check = OnSiteCheck.objects.get(application=line.application)
    old = account.meters.get()
    inspector = staff(tenant, [branch], "inspector@azersu.test")
    with pytest.raises(ValidationError):  # the new meter must be registered to record the visit
        record_on_site_check(check=check, actor=inspector, readings={old: (Decimal("215"), "")}, performed_on=YESTERDAY)
    assert not Meter.objects.filter(serial_number="NEW 777").exists()
    record_on_site_check(
        check=check,
        actor=inspector,
        readings={old: (Decimal("215"), "")},
        performed_on=YESTERDAY,
        new_meters={
            line.pk: NewMeter(
                serial_number="NEW 777",
                kind=Meter.Kind.COLD_WATER,
                installed_on=YESTERDAY - datetime.timedelta(days=10),
                initial_reading=Decimal("0"),
                value=Decimal("12.5"),
            )
        },
    )
    meter = Meter.objects.get(serial_number="NEW 777")
    assert meter.account == account and meter.status == Meter.Status.ACTIVE
    line.refresh_from_db()
    assert line.meter == meter and line.outcome == SubmittedReading.Outcome.INSPECTED
    assert line.booked_reading.meter == meter and line.booked_reading.value == Decimal("12.5")
    assert line.booked_reading.source == Reading.Source.INSPECTION
    line.application.refresh_from_db()
    assert line.application.status == Status.EXECUTED


def test_the_inspector_registers_the_meter_in_the_admin(client, citizen, tenant, account, branch):
    submit_unlisted(citizen, tenant, account)
    line = SubmittedReading.objects.get(meter__isnull=True)
    check = OnSiteCheck.objects.get(application=line.application)
    old = account.meters.get()
    login_verified_staff(client, staff(tenant, [branch], "reviewer@azersu.test"))
    url = reverse("admin:readings_onsitecheck_record", args=[check.pk])
    assert f"new_{line.pk}_serial" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "performed_on": YESTERDAY.isoformat(),
            f"value_{old.pk}": "215",
            f"seal_{old.pk}": "",
            f"new_{line.pk}_serial": "NEW 777",
            f"new_{line.pk}_kind": Meter.Kind.COLD_WATER,
            f"new_{line.pk}_installed_on": (YESTERDAY - datetime.timedelta(days=3)).isoformat(),
            f"new_{line.pk}_initial": "0",
            f"new_{line.pk}_value": "13",
            f"new_{line.pk}_seal": "",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    line.refresh_from_db()
    assert line.meter.serial_number == "NEW 777" and line.booked_reading.value == Decimal("13")


def test_a_number_of_another_accounts_meter_is_still_refused(citizen, tenant, branch, account):
    other = account_with_history(tenant, branch, code="7654321")
    other.meters.update(serial_number="FOREIGN 1")
    open_form(citizen, tenant, account)
    page = submit(citizen, tenant, line_data(serial="foreign1")).content.decode()
    assert "This account has no meter with this factory number" in page
    assert not SubmittedReading.objects.exists()
