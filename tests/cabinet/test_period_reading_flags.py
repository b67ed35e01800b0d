"""Issue #9 item 13: a reading of a meter whose verification has expired is flagged for staff,
who see the flag in the (read-only) period readings admin and can filter on it."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cabinet.models import PeriodReading
from tests.cabinet.factories import linked_contract
from tests.cabinet.readings_support import row_data, url, water_meter, water_tenant
from tests.portal.factories import StaffMembershipFactory, login_verified_staff

pytestmark = pytest.mark.django_db
D = datetime.date
IN_WINDOW = D(2026, 10, 7)


@pytest.fixture
def tenant(db):
    return water_tenant()


@pytest.fixture
def contract(tenant, user):
    return linked_contract(tenant, user, readings_deadline_day=8)


def submit(client, tenant, contract, data, action="submit"):
    return client.post(url(tenant, "period", contract), {**data, "period": "2026-10", action: "1"}, follow=True)


def test_a_reading_of_an_expired_meter_is_flagged_and_staff_see_it(client, freeze_today, user, tenant, contract):
    expired = water_meter(contract, serial_number="ХВ-OLD", verification_due_on=D(2026, 1, 31))
    current = water_meter(contract, serial_number="ХВ-NEW", verification_due_on=D(2030, 1, 31))
    freeze_today(IN_WINDOW)
    client.force_login(user)
    submit(client, tenant, contract, {**row_data(expired, "131", IN_WINDOW), **row_data(current, "125", IN_WINDOW)})

    flagged = PeriodReading.objects.get(meter=expired)
    assert flagged.status == PeriodReading.Status.ACCEPTED
    assert flagged.flags == ["verification_expired"]
    assert PeriodReading.objects.get(meter=current).flags == []

    staff = StaffMembershipFactory(tenant=tenant, user__email="reviewer@izh.test").user
    staff.user_permissions.add(Permission.objects.get(content_type__app_label="cabinet", codename="view_periodreading"))
    client.logout()
    login_verified_staff(client, staff)
    changelist = reverse("admin:cabinet_periodreading_changelist")

    body = client.get(changelist).content.decode()
    assert "ХВ-OLD" in body and "ХВ-NEW" in body
    assert "Meter verification expired" in body

    only_flagged = client.get(changelist, {"flag": "verification_expired"}).content.decode()
    assert "ХВ-OLD" in only_flagged and "ХВ-NEW" not in only_flagged
    unflagged = client.get(changelist, {"flag": "none"}).content.decode()
    assert "ХВ-NEW" in unflagged and "ХВ-OLD" not in unflagged


def test_a_draft_of_an_expired_meter_is_flagged_too(client, freeze_today, user, tenant, contract):
    expired = water_meter(contract, serial_number="ХВ-OLD", verification_due_on=D(2026, 1, 31))
    freeze_today(IN_WINDOW)
    client.force_login(user)
    submit(client, tenant, contract, row_data(expired, "131", IN_WINDOW), action="save")

    reading = PeriodReading.objects.get(meter=expired)
    assert (reading.status, reading.flags) == (PeriodReading.Status.DRAFT, ["verification_expired"])
