"""The staff admin keeps staff inside their tenant: every admin of a tenant-owned model is
scoped, and tenant B's staff can neither list nor open tenant A's rows."""

import pytest
from django.contrib import admin
from django.urls import reverse

from portal.admin_site import TenantScopedAdmin, is_tenant_owned
from tests.isolation.world import World
from tests.portal.factories import login_verified_staff

# Admins that are not TenantScopedAdmin and why that is safe.


def label(model):
    return f"{model._meta.app_label}.{model.__name__}"


def scoped_admins():
    return [(model, model_admin) for model, model_admin in admin.site._registry.items()]


@pytest.fixture
def world(db):
    world = World()
    world.build_all()
    return world


def test_every_admin_of_a_tenant_owned_model_is_tenant_scoped():
    unscoped = [
        label(model)
        for model, model_admin in admin.site._registry.items()
        if is_tenant_owned(model) and not isinstance(model_admin, TenantScopedAdmin)
    ]
    assert not unscoped, f"Admins of tenant-owned models must extend TenantScopedAdmin: {unscoped}"


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(admin.site._registry), ids=label)
def test_staff_of_another_tenant_cannot_list_or_open_tenant_a_rows(model, world, client):
    login_verified_staff(client, world.staff_b)
    opts = model._meta
    changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code in (200, 302, 403)
    body = changelist.content.decode(errors="replace")
    leaked = [marker for marker in world.markers if marker in body]
    assert not leaked, f"{label(model)} changelist shows tenant A's {leaked} to tenant B's staff"

    own_rows = [obj for obj in world.tenant_a_objects() if isinstance(obj, model)]
    for obj in own_rows:
        response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
        # The admin answers a row outside the queryset with a redirect to its index ("does not exist").
        assert response.status_code in (302, 403, 404), f"{label(model)} #{obj.pk} opened by tenant B's staff"


@pytest.mark.django_db
def test_superuser_control_sees_tenant_a_rows(world, client):
    from tests.accounts.factories import UserFactory

    root = UserFactory(email="root@example.com", is_staff=True, is_superuser=True)
    login_verified_staff(client, root)
    opts = type(world.application)._meta
    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[world.application.pk]))
    assert response.status_code == 200
