"""Staff edit fee schedules in the admin: scoped to their tenant, overlapping rules refused."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from connections.demo_fees import seed_fee_schedules
from connections.models import FeeRule, FeeSchedule
from tests.connections.factories_fees import FeeRuleFactory, FeeScheduleFactory
from tests.portal.factories import StaffMembershipFactory

CHANGELIST = "/admin/connections/feeschedule/"


@pytest.fixture
def staff(tenant, client, otp_login):
    user = StaffMembershipFactory(tenant=tenant).user
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="connections"))
    otp_login(client, user)
    return user


def rule_rows(*rows, initial=0):
    data = {
        "rules-TOTAL_FORMS": str(len(rows)),
        "rules-INITIAL_FORMS": str(initial),
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
    }
    defaults = {
        "applicant_kind": "any",
        "object_kind": "any",
        "phase": "any",
        "voltage": "low",
        "term": "any",
        "from_kw": "0",
        "fixed_amount": "0",
        "per_kw_amount": "0",
        "per_kw_basis": "whole",
        "distance_free_m": "0",
    }
    for index, row in enumerate(rows):
        data |= {f"rules-{index}-{key}": value for key, value in (defaults | row).items()}
    return data


SCHEDULE = {
    "name": "Connection fees 2027",
    "effective_from": "2027-01-01",
    "quote_valid_days": "30",
    "prices_include_vat": "on",
    "vat_rate": "18",
    "source": "Tariff Council Decision No. 1 of 2027",
    "staff_notes": "",
}


def test_the_changelist_add_and_change_pages_render_for_tenant_staff(client, staff, tenant):
    current, _history = seed_fee_schedules(tenant)

    changelist = client.get(CHANGELIST)
    assert changelist.status_code == 200
    assert current.name in changelist.content.decode()
    assert client.get(f"{CHANGELIST}add/").status_code == 200
    change = client.get(f"{CHANGELIST}{current.pk}/change/").content.decode()
    assert "Single-phase ≤ 10 kW" in change
    assert "Set by staff (not published)" in change and "PLACEHOLDER" in change


def test_staff_do_not_see_another_tenants_schedules(client, staff, other_tenant):
    foreign = FeeScheduleFactory(tenant=other_tenant, name="Foreign fees")

    assert "Foreign fees" not in client.get(CHANGELIST).content.decode()
    assert client.get(f"{CHANGELIST}{foreign.pk}/change/").status_code == 302


def test_staff_add_a_schedule_with_its_rules(client, staff, tenant):
    response = client.post(
        f"{CHANGELIST}add/",
        SCHEDULE
        | rule_rows(
            {"phase": "single", "to_kw": "10", "per_kw_amount": "40"},
            {"phase": "single", "from_kw": "10", "to_kw": "150", "per_kw_amount": "60"},
        ),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    schedule = FeeSchedule.objects.get(name="Connection fees 2027")
    assert schedule.tenant == tenant
    assert schedule.rules.count() == 2


def test_overlapping_rules_are_refused_with_a_form_error_and_nothing_saved(client, staff, tenant):
    response = client.post(
        f"{CHANGELIST}add/",
        SCHEDULE
        | rule_rows(
            {"label": "Single", "phase": "single", "to_kw": "10", "per_kw_amount": "40"},
            {"label": "Any phase", "phase": "any", "from_kw": "5", "to_kw": "150", "per_kw_amount": "60"},
        ),
    )

    assert response.status_code == 200
    assert "Rules “Single” and “Any phase” overlap" in response.content.decode()
    assert not FeeSchedule.objects.filter(name="Connection fees 2027").exists()


def test_editing_a_rule_into_an_overlap_is_refused(client, staff, tenant):
    schedule = FeeScheduleFactory(tenant=tenant, name="Fees", effective_from="2027-01-01")
    first = FeeRuleFactory(schedule=schedule, phase="single", to_kw=Decimal("10"), label="First")
    second = FeeRuleFactory(schedule=schedule, phase="three", to_kw=Decimal("10"), label="Second")

    response = client.post(
        f"{CHANGELIST}{schedule.pk}/change/",
        SCHEDULE
        | {"name": "Fees"}
        | rule_rows(
            {
                "id": str(first.pk),
                "schedule": str(schedule.pk),
                "label": "First",
                "phase": "single",
                "to_kw": "10",
                "per_kw_amount": "40",
            },
            {
                "id": str(second.pk),
                "schedule": str(schedule.pk),
                "label": "Second",
                "phase": "any",
                "to_kw": "10",
                "per_kw_amount": "40",
            },
            initial=2,
        ),
    )

    assert response.status_code == 200
    assert "overlap" in response.content.decode()
    assert FeeRule.objects.get(pk=second.pk).phase == "three"


def test_a_bad_rule_is_reported_on_its_row(client, staff, tenant):
    response = client.post(f"{CHANGELIST}add/", SCHEDULE | rule_rows({"to_kw": "10"}))

    assert response.status_code == 200
    assert "Enter a fixed amount, an amount per kW or an amount per metre." in response.content.decode()
    assert not FeeSchedule.objects.exists()
