"""State login in a real browser, in Azerbaijani, against a real OpenID Connect provider on
loopback: "Log in with e-gov" → the provider's login page → back on the portal, logged in with the
name and FIN from the claims → W2's basic data filled in from them, read-only → the account whose
holder has that FIN is under "My accounts" without any code."""

from pathlib import Path

import httpx
import pytest
from oidc_provider_mock import run_server_in_thread
from playwright.sync_api import expect

from accounts.models import IdentityProvider, PersonalDetails
from portal.models import Workflow
from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import assert_no_csp_violations, watch_for_csp_violations
from tests.meters.factories import SubscriberAccountFactory
from tests.portal.factories import BranchFactory, TenantFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FIN = "5ZX9KQ1"
SCREENSHOTS = Path("var/screenshots")


@pytest.fixture
def provider_server(monkeypatch):
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # the provider is plain HTTP on loopback
    with run_server_in_thread(require_nonce=True) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def world(transactional_db, provider_server):
    tenant = TenantFactory(
        slug="azerishiq",
        name="Azərişıq",
        country_code="AZ",
        default_language="az",
        workflows=[Workflow.METER_READINGS.value, Workflow.GRID_CONNECTION.value],
    )
    branch = BranchFactory(tenant=tenant, name="Bakı")
    SubscriberAccountFactory(tenant=tenant, branch=branch, code="770012345678901", holder_id_number=FIN)
    IdentityProvider.objects.create(
        tenant=tenant,
        slug="egov",
        label="e-gov ilə daxil ol",
        discovery_url=provider_server,
        client_id="abonent-portal",
        client_secret="s3cret",
    )
    httpx.put(
        f"{provider_server}/users/leyla",
        json={
            "email": "leyla@example.az",
            "email_verified": True,
            "given_name": "Leyla",
            "family_name": "Hüseynova",
            "middle_name": "Rauf qızı",
            "personal_id_number": FIN,
        },
    ).raise_for_status()
    return {"tenant": tenant}


@pytest.mark.parametrize("width", [390, 1280])
def test_log_in_with_e_gov_and_find_the_account_of_the_verified_fin(browser, live_server, world, width):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900}, locale="az")
    context.set_default_timeout(15_000)
    violations = watch_for_csp_violations(context)
    page = context.new_page()
    page.goto("/azerishiq/accounts/login/")
    assert_accessible(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"state-login-{width}.png", full_page=True)
    page.get_by_role("link", name="e-gov ilə daxil ol").click()
    # The provider's own login page (not ours): the person logs in there.
    page.locator("input[name=sub]").fill("leyla")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url("**/azerishiq/**")
    details = PersonalDetails.objects.get(personal_id_number=FIN)
    assert details.verified_by == "e-gov ilə daxil ol"
    page.goto("/azerishiq/my/accounts/")
    expect(page.locator("main")).to_contain_text("770012345678901")
    assert_accessible(page)
    page.screenshot(path=SCREENSHOTS / f"state-login-accounts-{width}.png", full_page=True)
    # W2's basic data: from the verified claims, shown read-only (no input to change them).
    page.goto("/azerishiq/connections/")
    basic_data = page.locator(".basic-data")
    expect(basic_data).to_contain_text("Hüseynova")
    expect(basic_data).to_contain_text("Rauf qızı")
    expect(basic_data).to_contain_text(FIN)
    assert basic_data.locator("input").count() == 0
    assert_accessible(page)
    page.screenshot(path=SCREENSHOTS / f"state-login-w2-basic-data-{width}.png", full_page=True)
    page.goto("/azerishiq/accounts/profile/personal-details/")
    expect(page.locator("main")).to_contain_text("e-gov ilə daxil ol")
    assert page.locator("main form input[name=personal_id_number]").count() == 0
    context.close()
    assert_no_csp_violations(violations)
