"""After logging in, a member of an organization on a cabinet tenant is told so and lands on the
cabinet, whose first action is linking a contract while he has none (issue #9, item 9)."""

import pytest

from tests.accounts.factories import PASSWORD, OrganizationFactory
from tests.cabinet.factories import member_of
from tests.cabinet.readings_support import water_tenant

pytestmark = pytest.mark.django_db


def test_a_cabinet_user_is_told_he_is_logged_in_and_lands_on_the_cabinet(client, user):
    tenant = water_tenant()
    member_of(OrganizationFactory(), user, "owner")
    response = client.post(f"/{tenant.slug}/accounts/login/", {"email": user.email, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == f"/{tenant.slug}/cabinet/"
    text = response.content.decode()
    assert "You are logged in." in text
    main = text[text.index("<main") :]
    first_action = main[main.index('class="button"') - 40 :][:200]
    assert "Link a contract" in first_action and 'id="link-first"' in first_action


def test_a_citizen_is_told_he_is_logged_in_and_lands_on_the_home_page(client, user):
    tenant = water_tenant()
    response = client.post(f"/{tenant.slug}/accounts/login/", {"email": user.email, "password": PASSWORD}, follow=True)
    assert "/cabinet/" not in response.redirect_chain[-1][0]
    assert "You are logged in." in response.content.decode()
