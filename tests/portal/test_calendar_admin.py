"""Staff correct their tenant's working-day calendar in the OTP admin."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from portal.models import CalendarDay, StaffMembership
from tests.accounts.factories import UserFactory
from tests.portal.factories import StaffMembershipFactory, login_verified_staff

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:portal_calendarday_changelist")
TRANSFER = reverse("admin:portal_calendarday_transfer")
PREVIEW = reverse("admin:portal_calendarday_preview")


def calendar_staff(tenant, *, actions=("view", "change", "add", "delete"), email="staff@azersu.test"):
    user = UserFactory(email=email, is_staff=True)
    StaffMembershipFactory(tenant=tenant, user=user, role=StaffMembership.Role.ADMINISTRATOR)
    codenames = [f"{action}_calendarday" for action in actions]
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="portal", codename__in=codenames))
    return user


@pytest.fixture
def staff_client(client, tenant):
    return login_verified_staff(client, calendar_staff(tenant))


def test_staff_see_only_their_tenants_corrections(staff_client, tenant, other_tenant):
    CalendarDay.objects.create(tenant=tenant, date=date(2026, 4, 15), kind="day_off", name="Azersu elections")
    theirs = CalendarDay.objects.create(tenant=other_tenant, date=date(2026, 4, 16), kind="day_off", name="Izhevsk day")

    page = staff_client.get(CHANGELIST)
    assert "Azersu elections" in page.text
    assert "Izhevsk day" not in page.text
    assert "Izhvodokanal" not in page.text  # not even as a filter choice

    change = staff_client.get(reverse("admin:portal_calendarday_change", args=[theirs.pk]))
    assert change.status_code == 302 and change["Location"] == reverse("admin:index")


def test_calendar_pages_demand_the_totp_step(client, tenant):
    client.force_login(calendar_staff(tenant))
    for url in (CHANGELIST, TRANSFER, PREVIEW):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login")), url


def test_changelist_tells_staff_which_decrees_to_enter_and_links_the_tools(staff_client):
    page = staff_client.get(CHANGELIST)
    assert "decreed swaps of working days and days off only up to 2025" in page.text
    assert "transfers are published year by year" in page.text
    assert f'href="{TRANSFER}"' in page.text and f'href="{PREVIEW}"' in page.text


def test_corrections_are_filtered_by_year_and_kind(staff_client, tenant):
    CalendarDay.objects.create(tenant=tenant, date=date(2025, 5, 5), kind="day_off", name="Old decree")
    CalendarDay.objects.create(tenant=tenant, date=date(2026, 5, 5), kind="day_off", name="New decree")
    CalendarDay.objects.create(tenant=tenant, date=date(2026, 5, 9), kind="working_day", name="Worked Saturday")

    page = staff_client.get(CHANGELIST, {"year": "2026", "kind": "day_off"})
    assert "New decree" in page.text
    assert "Old decree" not in page.text and "Worked Saturday" not in page.text


def test_a_second_correction_on_the_same_day_is_refused_with_a_message(staff_client, tenant):
    CalendarDay.objects.create(tenant=tenant, date=date(2026, 4, 15), kind="day_off", name="Elections")
    add = reverse("admin:portal_calendarday_add")
    response = staff_client.post(add, {"date": "2026-04-15", "kind": "working_day", "name": "Worked after all"})
    assert response.status_code == 200
    assert "There is already a correction on this day" in response.text
    assert CalendarDay.objects.get().name == "Elections"


def test_staff_add_a_day_off_for_their_tenant(staff_client, tenant):
    add = reverse("admin:portal_calendarday_add")
    staff_client.post(add, {"date": "2026-04-15", "kind": "day_off", "name": "Elections"})
    assert CalendarDay.objects.get().tenant == tenant


def test_transferring_a_day_off_saves_both_days(staff_client, tenant):
    response = staff_client.post(
        TRANSFER, {"from_date": "2026-06-20", "to_date": "2026-06-22", "reason": "Cabinet decision No. 100"}
    )
    assert response.status_code == 302 and response["Location"] == f"{CHANGELIST}?year=2026"
    rows = CalendarDay.objects.for_tenant(tenant).order_by("date")
    assert [(r.date, r.kind, r.name) for r in rows] == [
        (date(2026, 6, 20), "working_day", "Cabinet decision No. 100"),
        (date(2026, 6, 22), "day_off", "Cabinet decision No. 100"),
    ]
    assert "is now a working day" in staff_client.get(response["Location"]).text


def test_a_transfer_onto_a_holiday_is_refused_with_the_reason(staff_client, tenant):
    # 2026-06-15 is National Liberation Day, already a day off.
    response = staff_client.post(TRANSFER, {"from_date": "2026-06-20", "to_date": "2026-06-15", "reason": "x"})
    assert response.status_code == 200
    assert "2026-06-15 is already a day off." in response.text
    assert not CalendarDay.objects.exists()


def test_staff_cannot_transfer_into_another_tenants_calendar(staff_client, tenant, other_tenant):
    staff_client.post(
        TRANSFER,
        {"tenant": other_tenant.pk, "from_date": "2026-06-20", "to_date": "2026-06-22", "reason": "x"},
    )
    assert not CalendarDay.objects.filter(tenant=other_tenant).exists()
    assert CalendarDay.objects.filter(tenant=tenant).count() == 2


def test_superuser_chooses_the_tenant_of_a_transfer(client, tenant, other_tenant):
    admin = UserFactory(email="root@example.com", is_staff=True, is_superuser=True)
    login_verified_staff(client, admin)
    # Russia 2027: a Saturday swap the tenant learnt of before the data did (illustrative dates).
    data = {"tenant": other_tenant.pk, "from_date": "2027-06-19", "to_date": "2027-06-21", "reason": "x"}
    client.post(TRANSFER, data)
    assert CalendarDay.objects.filter(tenant=other_tenant).count() == 2
    assert not CalendarDay.objects.filter(tenant=tenant).exists()


def test_staff_without_the_add_permission_cannot_transfer(client, tenant):
    login_verified_staff(client, calendar_staff(tenant, actions=("view", "change")))
    assert client.get(TRANSFER).status_code == 403
    assert f'href="{TRANSFER}"' not in client.get(CHANGELIST).text


def test_preview_shows_the_years_weekday_holidays_worked_weekends_and_corrections(staff_client, tenant):
    CalendarDay.objects.create(tenant=tenant, date=date(2024, 9, 10), kind="day_off", name="Local holiday")
    page = staff_client.get(PREVIEW, {"year": "2024"})
    assert page.status_code == 200
    assert "2024-03-25" in page.text  # Novruz's Saturday, moved to Monday
    assert "2024-04-06" in page.text  # the decreed working Saturday
    assert "Local holiday" in page.text and "Correction entered here" in page.text
    assert "2024-03-23" not in page.text  # Novruz on a Saturday: an ordinary weekend day


def test_preview_stays_inside_the_staff_members_tenant(staff_client, tenant, other_tenant):
    CalendarDay.objects.create(tenant=other_tenant, date=date(2024, 9, 10), kind="day_off", name="Izhevsk day")
    page = staff_client.get(PREVIEW, {"year": "2024", "tenant": other_tenant.pk})
    assert "Izhevsk day" not in page.text
    assert "2024-11-04" not in page.text  # Russia's Unity Day is not Azersu's
    assert "Azersu: 2024" in page.text
