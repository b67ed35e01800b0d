"""The cabinet's business rules are its settings (CabinetSettings), not implied by the e-services a
tenant offers: which meters the readings page takes, and so its title and the water-digits hint."""

import datetime
import importlib
import io

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from cabinet import demo as demo_contracts
from cabinet.models import CabinetSettings
from meters.models import Meter
from portal import demo as portal_demo
from portal.models import Workflow
from tests.cabinet.factories import linked_contract
from tests.cabinet.readings_support import url, water_tenant
from tests.meters.factories import MeterFactory, ServicePointFactory
from tests.portal.factories import TenantFactory

pytestmark = pytest.mark.django_db
IN_WINDOW = datetime.date(2026, 10, 7)


def readings_page(client, tenant, user):
    contract = linked_contract(tenant, user)
    point = ServicePointFactory(contract=contract)
    for kind, serial in ((Meter.Kind.COLD_WATER, "COLD-1"), (Meter.Kind.HOT_WATER, "HOT-1"), (Meter.Kind.GAS, "GAS-1")):
        MeterFactory(account=contract.account, service_point=point, kind=kind, serial_number=serial)
    client.force_login(user)
    return client.get(url(tenant, "period", contract)).content.decode()


def test_a_w5_cabinet_set_to_every_meter_lists_every_meter(client, freeze_today, user):
    freeze_today(IN_WINDOW)
    tenant = water_tenant("w5-all", workflow=Workflow.CONTRACT_CABINET)
    CabinetSettings.objects.filter(tenant=tenant).update(readings_meter_kinds=[])
    text = readings_page(client, tenant, user)
    assert all(serial in text for serial in ("COLD-1", "HOT-1", "GAS-1"))
    assert "<h1>Meter readings</h1>" in text
    assert "digits-help" not in text


def test_a_w4_cabinet_set_to_cold_water_lists_cold_water_meters_only(client, freeze_today, user):
    freeze_today(IN_WINDOW)
    tenant = water_tenant("w4-cold", workflow=Workflow.LEGAL_CABINET)
    CabinetSettings.objects.filter(tenant=tenant).update(readings_meter_kinds=[Meter.Kind.COLD_WATER])
    text = readings_page(client, tenant, user)
    assert "COLD-1" in text and "HOT-1" not in text and "GAS-1" not in text
    assert "<h1>Cold-water readings</h1>" in text
    assert 'id="digits-help"' in text


def test_a_tenant_without_cabinet_settings_takes_every_meter(client, freeze_today, user):
    freeze_today(IN_WINDOW)
    tenant = water_tenant("no-settings")
    CabinetSettings.objects.filter(tenant=tenant).delete()
    text = readings_page(client, tenant, user)
    assert all(serial in text for serial in ("COLD-1", "HOT-1", "GAS-1"))


def test_only_known_meter_kinds_can_be_set():
    settings = CabinetSettings(tenant=TenantFactory(), readings_meter_kinds=["steam"])
    with pytest.raises(ValidationError):
        settings.full_clean()


def test_existing_tenants_keep_todays_rule_when_migrated():
    w5 = TenantFactory(slug="w5", workflows=[Workflow.CONTRACT_CABINET.value])
    w4 = TenantFactory(slug="w4", workflows=[Workflow.LEGAL_CABINET.value])
    both = TenantFactory(slug="both", workflows=[Workflow.LEGAL_CABINET.value, Workflow.CONTRACT_CABINET.value])
    TenantFactory(slug="w1", workflows=[Workflow.METER_READINGS.value])
    migration = importlib.import_module("cabinet.migrations.0003_cabinet_settings")
    migration.keep_todays_rule(apps, None)
    kinds = dict(CabinetSettings.objects.values_list("tenant__slug", "readings_meter_kinds"))
    assert kinds == {"w5": ["cold_water"], "w4": [], "both": ["cold_water"]}
    assert {w5, w4, both} == {settings.tenant for settings in CabinetSettings.objects.all()}


def test_the_demo_sets_cold_water_for_izhvodokanal_and_every_meter_for_uzbekenergo():
    list(portal_demo.seed(io.StringIO()))
    demo_contracts.seed(io.StringIO())
    demo_contracts.seed(io.StringIO())
    kinds = dict(CabinetSettings.objects.values_list("tenant__slug", "readings_meter_kinds"))
    assert kinds == {"izhvodokanal": ["cold_water"], "uzbekenergo": []}


def test_staff_tick_the_meter_kinds_of_their_cabinet_in_the_admin(client):
    from django.contrib.auth.models import Permission
    from django.urls import reverse

    from tests.portal.factories import StaffMembershipFactory, login_verified_staff

    tenant = water_tenant("izh-admin")
    settings = CabinetSettings.objects.get(tenant=tenant)
    membership = StaffMembershipFactory(tenant=tenant, user__email="settings@izh.test")
    membership.user.user_permissions.add(*Permission.objects.filter(content_type__app_label="cabinet"))
    login_verified_staff(client, membership.user)
    change_url = reverse("admin:cabinet_cabinetsettings_change", args=[settings.pk])

    page = client.get(change_url).content.decode()
    assert 'type="checkbox" name="readings_meter_kinds" value="cold_water"' in page
    response = client.post(change_url, {"readings_meter_kinds": ["cold_water", "hot_water"]})

    assert response.status_code == 302
    settings.refresh_from_db()
    assert settings.readings_meter_kinds == ["cold_water", "hot_water"]
    listing = client.get(reverse("admin:cabinet_cabinetsettings_changelist")).content.decode()
    assert "Cold water, Hot water" in listing
