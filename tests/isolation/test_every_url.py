"""Cross-tenant and cross-user isolation over every URL of the project.

New pages are picked up automatically: a page with parameters must be described in
registry.py (else the coverage test fails), and every page without parameters is requested
through another tenant's address and must not show the owner's data.
"""

import pytest

from portal.urls_helpers import tenant_reverse
from tests.isolation.registry import REGISTRY
from tests.isolation.urls import all_routes
from tests.isolation.world import World

ROUTES = all_routes()
PARAMETERISED = [route for route in ROUTES if route.has_params]
PARAMETERLESS = [route for route in ROUTES if not route.has_params]

# Pages anyone may open without logging in.
PUBLIC = {
    "home",
    "healthz",
    "brand_css",
    "set_language",
    "dev_outbox",
    "accounts:login",
    "accounts:register",
    "accounts:register_done",
    "accounts:resend_confirmation",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_complete",
    "accounts:login_verify",
    "applications:status_check",
}


@pytest.fixture
def world(db):
    return World()


def url_for(probe, route_name):
    from django.urls import reverse

    if probe.tenant is None:
        return reverse(route_name, kwargs=probe.kwargs)
    return tenant_reverse(probe.tenant, route_name, kwargs=probe.kwargs)


def request_as(client, user, url, cases):
    client.logout()
    if user is not None:
        client.force_login(user)
    return getattr(client, cases.method)(url, cases.data) if cases.method == "post" else client.get(url)


def test_every_parameterised_url_is_covered_by_the_isolation_registry():
    missing = [route.name for route in PARAMETERISED if route.name not in REGISTRY]
    assert not missing, f"Describe these URLs in tests/isolation/registry.py: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("route", PARAMETERISED, ids=lambda route: route.name)
def test_foreign_objects_are_not_found(route, world, client):
    if route.name not in REGISTRY:
        pytest.fail(f"{route.name} is not in the isolation registry")
    cases = REGISTRY[route.name](world)

    control = request_as(client, cases.control.user, url_for(cases.control, route.name), cases)
    assert control.status_code != 404, f"control probe of {route.name} does not reach a real object"

    for probe in cases.foreign:
        response = request_as(client, probe.user, url_for(probe, route.name), cases)
        who = getattr(probe.user, "email", "anonymous")
        where = probe.tenant.slug if probe.tenant else "portal root"
        if cases.refused is not None:
            assert cases.refused(response), f"{route.name}: {who} via {where} got through"
        elif probe.user is None and response.status_code == 302:
            assert "/accounts/login/" in response["Location"], f"{route.name}: anonymous redirected elsewhere"
        else:
            assert response.status_code == 404, f"{route.name}: {who} via {where} got {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize("route", PARAMETERLESS, ids=lambda route: route.name)
def test_pages_of_another_tenant_show_nothing_of_the_owner(route, world, client):
    world.build_all()
    client.force_login(world.owner)
    response = client.get(tenant_reverse(world.tenant_b, route.name))
    assert response.status_code < 500
    body = response.content.decode(errors="replace")
    leaked = [marker for marker in world.markers if marker in body]
    assert not leaked, f"{route.name} under tenant B shows tenant A's {leaked}"


@pytest.mark.django_db
@pytest.mark.parametrize("route", PARAMETERLESS, ids=lambda route: route.name)
def test_private_pages_send_anonymous_visitors_to_log_in(route, world, client):
    response = client.get(tenant_reverse(world.tenant_a, route.name))
    if route.name in PUBLIC:
        assert response.status_code < 500
        return
    assert response.status_code in (302, 404, 405), f"{route.name} answered {response.status_code} to anonymous"
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"]
