"""State login (issue #13) against a real OpenID Connect provider on loopback (oidc-provider-mock:
a real server with discovery, JWKS, signed ID tokens and single-use codes), never a mocked answer.

The browser's part is played by two clients: Django's test client for the portal, and httpx for
the provider's login page (where the person "logs in" by choosing his subject).
"""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.contrib.auth import get_user_model
from oidc_provider_mock import run_server_in_thread

from accounts.identity.adapters import LoginRefused
from accounts.identity.plain_oidc import verify_id_token
from accounts.models import ExternalIdentity, IdentityProvider, OrganizationMembership, PersonalDetails
from tests.accounts.factories import PASSWORD, UserFactory
from tests.meters.factories import SubscriberAccountFactory

FIN = "5ZX9KQ1"
CLAIMS = {
    "email": "leyla.huseynova@example.az",
    "email_verified": True,
    "given_name": "Leyla",
    "family_name": "Hüseynova",
    "middle_name": "Rauf qızı",
    "personal_id_number": FIN,
    "birthdate": "1988-04-17",
    "address": "Bakı, Nəsimi r., Rəşid Behbudov küç. 12",
}


@pytest.fixture(scope="module")
def provider_server():
    with run_server_in_thread(require_nonce=True) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def expiring_server():
    # Tokens already expired when issued, beyond Authlib's two minutes of clock leeway.
    with run_server_in_thread(access_token_max_age=datetime.timedelta(minutes=-10)) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(autouse=True)
def plain_http(monkeypatch):
    # The provider listens on plain HTTP on loopback; production providers are HTTPS only.
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")


@pytest.fixture
def egov(tenant, provider_server):
    return IdentityProvider.objects.create(
        tenant=tenant,
        slug="egov",
        label="e-gov",
        discovery_url=provider_server,
        client_id="abonent-portal",
        client_secret="s3cret",
        scopes="openid profile email",
    )


def set_claims(issuer, subject, claims):
    httpx.put(f"{issuer}/users/{subject}", json=claims).raise_for_status()


def log_in_at_provider(location, subject):
    """The person logs in on the provider's page: returns the portal callback URL it sends him to."""
    answer = httpx.post(location, data={"sub": subject}, follow_redirects=False)
    assert answer.status_code in (302, 303), answer.text[:500]
    return answer.headers["location"]


def start(client, tenant, slug="egov"):
    response = client.get(f"/{tenant.slug}/accounts/login/with/{slug}/")
    assert response.status_code == 302, response
    return response["Location"]


def callback_path(url):
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def state_login(client, tenant, issuer, subject="leyla", claims=CLAIMS):
    set_claims(issuer, subject, claims)
    location = start(client, tenant)
    assert location.startswith(issuer)
    query = parse_qs(urlsplit(location).query)
    # PKCE, state and nonce are sent, as the code flow requires.
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0]
    return client.get(callback_path(log_in_at_provider(location, subject)))


def logged_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id) if user_id else None


def messages_of(response):
    return [str(message) for message in response.wsgi_request._messages]


def test_first_login_creates_the_user_from_the_verified_claims(client, tenant, egov):
    response = state_login(client, tenant, egov.discovery_url)
    assert response.status_code == 302
    user = logged_in_user(client)
    assert user is not None and user.email == CLAIMS["email"]
    assert user.full_name == "Leyla Rauf qızı Hüseynova"
    assert not user.has_usable_password()
    details = PersonalDetails.objects.get(user=user)
    assert (details.surname, details.given_name, details.patronymic) == ("Hüseynova", "Leyla", "Rauf qızı")
    assert details.personal_id_number == FIN and details.country == "AZ"
    assert details.birth_date == datetime.date(1988, 4, 17)
    assert details.verified_by == "e-gov"
    assert ExternalIdentity.objects.filter(provider=egov, subject="leyla", user=user).exists()


def test_a_second_login_finds_the_same_user(client, tenant, egov):
    state_login(client, tenant, egov.discovery_url)
    first = logged_in_user(client)
    client.post(f"/{tenant.slug}/accounts/logout/")
    assert logged_in_user(client) is None
    state_login(client, tenant, egov.discovery_url)
    assert logged_in_user(client) == first
    assert get_user_model().objects.filter(email=CLAIMS["email"]).count() == 1


def test_an_existing_e_mail_user_confirms_with_his_password(client, tenant, egov):
    existing = UserFactory(email=CLAIMS["email"], full_name="Leyla H.")
    response = state_login(client, tenant, egov.discovery_url)
    assert response["Location"].endswith("/accounts/login/link/")
    assert logged_in_user(client) is None
    page = client.get(f"/{tenant.slug}/accounts/login/link/")
    assert "le•" in page.content.decode()  # the address, masked
    wrong = client.post(f"/{tenant.slug}/accounts/login/link/", {"password": "not-his"})
    assert wrong.status_code == 200 and logged_in_user(client) is None
    assert not ExternalIdentity.objects.exists()
    client.post(f"/{tenant.slug}/accounts/login/link/", {"password": PASSWORD})
    assert logged_in_user(client) == existing
    assert ExternalIdentity.objects.get(provider=egov).user == existing
    assert PersonalDetails.objects.get(user=existing).personal_id_number == FIN


def test_the_personal_identification_number_is_held_once(client, tenant, egov):
    state_login(client, tenant, egov.discovery_url)
    holder = logged_in_user(client)
    client.post(f"/{tenant.slug}/accounts/logout/")
    # Another subject at the provider asserting the same number: the holder's password decides.
    response = state_login(
        client, tenant, egov.discovery_url, subject="other", claims={**CLAIMS, "email": "x@example.az"}
    )
    assert response["Location"].endswith("/accounts/login/link/")
    assert logged_in_user(client) is None
    assert PersonalDetails.objects.filter(personal_id_number=FIN).get().user == holder


def test_a_wrong_state_is_refused(client, tenant, egov):
    set_claims(egov.discovery_url, "leyla", CLAIMS)
    location = start(client, tenant)
    back = log_in_at_provider(location, "leyla")
    forged = re.sub(r"state=[^&]+", "state=forged", callback_path(back))
    response = client.get(forged)
    assert response.status_code == 302 and response["Location"].endswith("/accounts/login/")
    assert logged_in_user(client) is None
    assert "The login could not be verified. Please try again." in messages_of(response)


def test_a_replayed_code_is_refused(client, tenant, egov):
    set_claims(egov.discovery_url, "leyla", CLAIMS)
    first = log_in_at_provider(start(client, tenant), "leyla")
    client.get(callback_path(first))
    assert logged_in_user(client) is not None
    client.post(f"/{tenant.slug}/accounts/logout/")
    # A new login attempt, answered with the old (already used) code: the provider refuses it.
    second = log_in_at_provider(start(client, tenant), "leyla")
    new_state = parse_qs(urlsplit(second).query)["state"][0]
    old_code = parse_qs(urlsplit(first).query)["code"][0]
    response = client.get(f"{urlsplit(second).path}?code={old_code}&state={new_state}")
    assert response["Location"].endswith("/accounts/login/")
    assert logged_in_user(client) is None
    assert "The login could not be completed. Please try again." in messages_of(response)
    # The same callback twice: the state was used up by the first.
    again = client.get(callback_path(first))
    assert logged_in_user(client) is None and again["Location"].endswith("/accounts/login/")


def _real_id_token(issuer, client_id, nonce):
    """An ID token the provider really issues to ``client_id`` (the whole code flow by hand)."""
    authorize = f"{issuer}/oauth2/authorize"
    params = {
        "client_id": client_id,
        "response_type": "code",
        "scope": "openid email",
        "redirect_uri": "http://client.example/cb",
        "state": "s",
        "nonce": nonce,
    }
    set_claims(issuer, "leyla", CLAIMS)
    answer = httpx.post(authorize, params=params, data={"sub": "leyla"}, follow_redirects=False)
    code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
    token = httpx.post(
        f"{issuer}/oauth2/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": "http://client.example/cb"},
        auth=(client_id, "whatever"),
    )
    token.raise_for_status()
    return token.json()["id_token"]


def test_a_token_for_another_client_is_refused(egov):
    token = _real_id_token(egov.discovery_url, "someone-else", nonce="n1")
    with pytest.raises(LoginRefused):
        verify_id_token(egov, token, nonce="n1")
    # The same kind of token issued to us passes: the check is the audience, nothing else.
    ours = _real_id_token(egov.discovery_url, egov.client_id, nonce="n2")
    assert verify_id_token(egov, ours, nonce="n2")["sub"] == "leyla"


def test_a_token_with_a_wrong_nonce_is_refused(egov):
    token = _real_id_token(egov.discovery_url, egov.client_id, nonce="n1")
    with pytest.raises(LoginRefused):
        verify_id_token(egov, token, nonce="another")


def test_an_expired_token_is_refused(client, tenant, expiring_server):
    provider = IdentityProvider.objects.create(
        tenant=tenant,
        slug="egov",
        label="e-gov",
        discovery_url=expiring_server,
        client_id="abonent-portal",
        client_secret="s3cret",
    )
    response = state_login(client, tenant, provider.discovery_url)
    assert response["Location"].endswith("/accounts/login/")
    assert logged_in_user(client) is None
    assert "The login has expired. Please try again." in messages_of(response)


def test_a_provider_that_is_down_gives_a_clear_message_and_the_password_login(client, tenant):
    IdentityProvider.objects.create(
        tenant=tenant, slug="egov", label="e-gov", discovery_url="http://127.0.0.1:9", client_id="abonent-portal"
    )
    response = client.get(f"/{tenant.slug}/accounts/login/with/egov/", follow=True)
    page = response.content.decode()
    assert "e-gov is not answering." in page
    assert 'name="password"' in page  # the password login is right there


def test_the_login_page_offers_the_tenants_providers_only(client, tenant, other_tenant, egov):
    IdentityProvider.objects.create(
        tenant=other_tenant, slug="gosuslugi", label="Gosuslugi", discovery_url="http://127.0.0.1:9", client_id="x"
    )
    page = client.get(f"/{tenant.slug}/accounts/login/").content.decode()
    assert "e-gov" in page and "Gosuslugi" not in page
    assert client.get(f"/{tenant.slug}/accounts/login/with/gosuslugi/").status_code == 404


def test_an_account_whose_holder_has_the_verified_number_is_added_at_once(client, tenant, branch, egov):
    account = SubscriberAccountFactory(tenant=tenant, branch=branch, code="7700001", holder_id_number=FIN)
    SubscriberAccountFactory(tenant=tenant, branch=branch, code="7700002", holder_id_number="OTHER01")
    state_login(client, tenant, egov.discovery_url)
    user = logged_in_user(client)
    assert list(user.subscriber_accounts.all()) == [account]
    page = client.get(f"/{tenant.slug}/my/accounts/").content.decode()
    assert "7700001" in page and "7700002" not in page


def test_a_typed_number_proves_nothing(client, tenant, branch):
    SubscriberAccountFactory(tenant=tenant, branch=branch, code="7700001", holder_id_number=FIN)
    user = UserFactory()
    PersonalDetails.objects.create(user=user, country="AZ", surname="X", given_name="Y", personal_id_number=FIN)
    client.force_login(user)
    client.get(f"/{tenant.slug}/my/accounts/")
    assert not user.subscriber_accounts.exists()


def test_a_company_asserted_by_the_provider_makes_a_verified_representative(client, tenant, egov):
    egov.asserts_organizations = True
    egov.save()
    claims = {**CLAIMS, "organization_tax_number": "1400123451", "organization_name": "Xəzər MMC"}
    state_login(client, tenant, egov.discovery_url, claims=claims)
    membership = OrganizationMembership.objects.get(user=logged_in_user(client))
    assert membership.organization.tax_number == "1400123451"
    assert membership.verified_by == "e-gov"
    assert membership.role == OrganizationMembership.Role.OWNER


def test_staff_still_enter_their_authenticator_code_after_a_state_login(client, tenant, egov):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    egov.for_staff = True
    egov.save()
    staff = UserFactory(email=CLAIMS["email"], is_staff=True)
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    ExternalIdentity.objects.create(provider=egov, user=staff, subject="leyla")
    response = state_login(client, tenant, egov.discovery_url)
    assert response["Location"].endswith("/accounts/login/verify/")
    assert logged_in_user(client) is None


def test_a_strong_provider_counts_as_both_factors_for_staff(client, tenant, egov):
    egov.for_staff = True
    egov.strong_authentication = True
    egov.save()
    staff = UserFactory(email=CLAIMS["email"], is_staff=True)
    ExternalIdentity.objects.create(provider=egov, user=staff, subject="leyla")
    state_login(client, tenant, egov.discovery_url)
    assert logged_in_user(client) == staff
    assert client.session.get("otp_device_id")


def test_a_provider_not_offered_to_staff_refuses_them(client, tenant, egov):
    staff = UserFactory(email=CLAIMS["email"], is_staff=True)
    ExternalIdentity.objects.create(provider=egov, user=staff, subject="leyla")
    response = state_login(client, tenant, egov.discovery_url)
    assert logged_in_user(client) is None
    assert response["Location"].endswith("/accounts/login/")
