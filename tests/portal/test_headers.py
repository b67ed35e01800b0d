"""Every page carries the Content-Security-Policy and the Permissions-Policy, no page needs an
inline script or style, and what a logged-in user is shown is never stored by a cache."""

import re

import pytest
from django.urls import reverse

from portal.urls_helpers import tenant_reverse
from tests.isolation.urls import all_routes
from tests.isolation.world import World
from tests.portal.factories import StaffMembershipFactory, login_verified_staff

pytestmark = pytest.mark.django_db

PARAMETERLESS = [route for route in all_routes() if not route.has_params]
ADMIN_PAGES = [
    "admin:index",
    "admin:applications_application_changelist",
    "admin:billing_invoice_changelist",
    "admin:meters_subscriberaccount_changelist",
    "admin:readings_readingsapplication_changelist",
    "admin:portal_staffmembership_add",
]

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+=", re.IGNORECASE)


@pytest.fixture
def world():
    world = World()
    world.build_all()
    return world


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def assert_policies(response, name):
    csp = directives(response)
    assert csp["default-src"] == ["'self'"], name
    assert csp["script-src"] == ["'self'"], name
    assert csp["style-src"] == ["'self'"], name
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"], name
    assert "unsafe-inline" not in response["Content-Security-Policy"], name
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "geolocation=()", "microphone=()", "payment=()"):
        assert feature in permissions, name


def assert_nothing_inline(response, name):
    if not response["Content-Type"].startswith("text/html"):
        return
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), f"{name}: inline script"
    assert not INLINE_STYLE.search(html), f"{name}: inline style"
    assert not EVENT_HANDLER.search(html), f"{name}: inline event handler"


def cache_control(response):
    return {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",")}


@pytest.mark.parametrize("route", PARAMETERLESS, ids=lambda route: route.name)
def test_every_page_has_the_policies_and_nothing_inline_for_the_owner(route, world, client):
    client.force_login(world.owner)

    response = client.get(tenant_reverse(world.tenant_a, route.name))

    assert_policies(response, route.name)
    assert_nothing_inline(response, route.name)


@pytest.mark.parametrize("route", PARAMETERLESS, ids=lambda route: route.name)
def test_every_page_has_the_policies_for_an_anonymous_visitor(route, client):
    world = World()

    response = client.get(tenant_reverse(world.tenant_a, route.name))

    assert_policies(response, route.name)
    assert_nothing_inline(response, route.name)


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_the_staff_admin_pages_have_the_policies_and_nothing_inline(name, client):
    staff = StaffMembershipFactory(user__is_superuser=True).user
    login_verified_staff(client, staff)

    response = client.get(reverse(name))

    assert response.status_code == 200, name
    assert_policies(response, name)
    assert_nothing_inline(response, name)


def test_the_admin_login_page_has_the_policies_and_nothing_inline(client):
    response = client.get(reverse("admin:login"))

    assert_policies(response, "admin:login")
    assert_nothing_inline(response, "admin:login")


def test_a_personal_page_is_never_stored(world, client):
    client.force_login(world.owner)

    response = client.get(tenant_reverse(world.tenant_a, "billing:my_accounts"))

    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)


def test_a_download_is_never_stored(world, client):
    client.force_login(world.owner)

    response = client.get(
        tenant_reverse(world.tenant_a, "readings:submission_photo", kwargs={"pk": world.submitted_reading.pk})
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert {"private", "no-store"} <= cache_control(response)


def test_the_brand_stylesheet_colours_each_utility_and_is_public(world, client):
    world.tenant_a.brand_colour = "#12ab34"
    world.tenant_a.save()

    response = client.get(reverse("brand_css"))

    assert response["Content-Type"].startswith("text/css")
    assert ".tenant-tenant-a { --brand: #12ab34; }" in response.text
    assert cache_control(response) == {"public", "max-age"}


def test_a_colour_that_skipped_validation_is_left_out_of_the_stylesheet(world, client):
    world.tenant_a.brand_colour = "red}*{x"
    world.tenant_a.save()

    assert "tenant-a" not in client.get(reverse("brand_css")).text.replace("tenant-b", "")
