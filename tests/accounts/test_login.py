import time

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.middleware import SESSION_STARTED_KEY
from portal.middleware import LANGUAGE_SESSION_KEY
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def log_in(client, email="citizen@example.com", password=PASSWORD, ip="10.0.0.1", **extra):
    return client.post(LOGIN, {"email": email, "password": password, **extra}, REMOTE_ADDR=ip)


def test_login_with_email_and_password_starts_a_new_session(client, user):
    client.get(LOGIN)
    anonymous_key = client.session.session_key

    response = log_in(client, email="Citizen@Example.com")

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session.session_key != anonymous_key


def test_a_wrong_password_is_refused_with_a_message(client, user):
    response = log_in(client, password="not-the-password")

    assert response.status_code == 200
    assert "The e-mail address or the password is wrong." in response.text
    assert "_auth_user_id" not in client.session


def test_login_switches_the_pages_to_the_preferred_language(client):
    UserFactory(email="ivan@example.com", preferred_language="ru")

    log_in(client, email="ivan@example.com")

    assert client.session[LANGUAGE_SESSION_KEY] == "ru"
    assert client.get(reverse("accounts:profile"))["Content-Language"] == "ru"


def test_login_goes_on_to_a_safe_next_page_only(client, user):
    assert log_in(client, next="/accounts/profile/")["Location"] == "/accounts/profile/"
    client.post(reverse("accounts:logout"))
    assert log_in(client, next="https://evil.example/")["Location"] == reverse("home")


def test_a_protected_page_sends_to_login_and_back(client, tenant, user):
    response = client.get("/azersu/accounts/profile/")
    assert response["Location"] == "/azersu/accounts/login/?next=/azersu/accounts/profile/"

    response = client.post(
        "/azersu/accounts/login/", {"email": user.email, "password": PASSWORD, "next": "/azersu/accounts/profile/"}
    )
    assert response["Location"] == "/azersu/accounts/profile/"


def test_logout_is_post_only(client, user):
    client.force_login(user)

    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_inactive_users_cannot_log_in(client):
    UserFactory(email="gone@example.com", is_active=False)

    response = log_in(client, email="gone@example.com")

    assert "The e-mail address or the password is wrong." in response.text


def test_repeated_failures_lock_that_username_from_that_ip_only(client, user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, password="guess", ip="10.0.0.66").status_code == 200

    locked = log_in(client, password="guess", ip="10.0.0.66")
    assert locked.status_code == 429
    assert "Too many attempts" in locked.text
    assert "Try again in 15 minutes." in locked.text

    # Even the right password is refused from the attacker's address...
    assert log_in(client, ip="10.0.0.66").status_code == 429
    assert "_auth_user_id" not in client.session
    # ...while the real user, elsewhere, still gets in.
    assert log_in(client, ip="192.0.2.10").status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_behind_a_proxy_one_clients_failures_do_not_lock_the_user_out_for_another(client, user, settings):
    """Behind the compose set-up every connection comes from the proxy: the lockout must key on
    the address the proxy forwards (portal.clients.client_ip), not on the proxy's."""
    assert settings.AXES_CLIENT_IP_CALLABLE == "portal.clients.client_ip"
    settings.CLIENT_IP_PROXY_COUNT = 1
    proxy = "172.18.0.5"

    def through_proxy(forwarded, **kwargs):
        return client.post(
            LOGIN,
            {"email": "citizen@example.com", "password": kwargs.get("password", PASSWORD)},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        through_proxy("203.0.113.66", password="guess")

    assert through_proxy("203.0.113.66").status_code == 429
    # A forged header does not help the attacker: the proxy's own entry is the one believed.
    assert through_proxy("192.0.2.10, 203.0.113.66").status_code == 429
    assert through_proxy("192.0.2.10").status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_failures_with_another_spelling_of_the_address_count_for_the_same_account(client, user):
    for index in range(settings.AXES_FAILURE_LIMIT):
        email = "citizen@example.com" if index % 2 else "Citizen@EXAMPLE.com"
        response = log_in(client, email=email, password="guess")

    assert response.status_code == 429


def test_failures_for_one_account_do_not_lock_another_from_the_same_address(client, user, other_user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, password="guess")

    assert log_in(client, email=other_user.email).status_code == 302
    assert client.session["_auth_user_id"] == str(other_user.pk)


def test_the_lockout_page_is_in_the_visitors_language(client, user):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = log_in(client, password="guess")

    assert response.status_code == 429
    assert response["Content-Language"] == "ru"
    assert '<html lang="ru">' in response.text


def test_a_session_older_than_the_absolute_lifetime_is_logged_out(client, user):
    log_in(client)
    assert client.get(reverse("accounts:profile")).status_code == 200

    session = client.session
    session[SESSION_STARTED_KEY] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()

    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_logging_in_again_restarts_the_absolute_lifetime(client, user):
    session = client.session
    session[SESSION_STARTED_KEY] = 1
    session.save()

    log_in(client)

    assert client.session[SESSION_STARTED_KEY] > time.time() - 60
    assert client.get(reverse("accounts:profile")).status_code == 200
