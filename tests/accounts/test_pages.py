"""Every accounts page renders for its visitor with one main heading and labelled inputs."""

import re

import pytest
from django.urls import reverse

from tests.accounts.factories import MembershipFactory, totp_device

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = [
    "accounts:login",
    "accounts:register",
    "accounts:register_done",
    "accounts:resend_confirmation",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_complete",
]
USER_PAGES = [
    "accounts:profile",
    "accounts:password_change",
    "accounts:password_change_done",
    "accounts:two_factor",
    "accounts:two_factor_setup",
    "accounts:organizations",
    "accounts:organization_create",
]


def assert_accessible_page(response):
    assert response.status_code == 200
    assert len(re.findall(r"<h1[ >]", response.text)) == 1
    for input_id in re.findall(r'<(?:input|select|textarea)[^>]*\sid="([^"]+)"', response.text):
        assert f'for="{input_id}"' in response.text, f"input {input_id} has no label"


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_anonymous_pages_render(client, tenant, name):
    assert_accessible_page(client.get(reverse(name)))
    assert_accessible_page(client.get(f"/azersu{reverse(name)}"))


@pytest.mark.parametrize("name", USER_PAGES)
def test_pages_of_a_logged_in_user_render(client, user, name):
    client.force_login(user)
    assert_accessible_page(client.get(reverse(name)))


def test_pages_of_an_organization_owner_render(client, user):
    organization = MembershipFactory(user=user).organization
    client.force_login(user)
    assert_accessible_page(client.get(reverse("accounts:organization_detail", args=[organization.pk])))
    assert_accessible_page(client.get(reverse("accounts:organization_invite", args=[organization.pk])))


def test_two_factor_pages_of_a_user_with_a_device_render(client, user):
    totp_device(user)
    client.force_login(user)
    assert_accessible_page(client.get(reverse("accounts:two_factor_backup_codes")))
    assert_accessible_page(client.get(reverse("accounts:two_factor_disable")))
