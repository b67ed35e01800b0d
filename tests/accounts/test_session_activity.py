"""The idle timeout without a session write on every request (issue #12): the last activity is
stamped at most once a minute, and a session idle for longer than the timeout is logged out."""

import time

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from accounts.middleware import SESSION_ACTIVE_KEY
from tests.accounts.test_login import LOGIN, log_in

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")


@pytest.fixture
def session_writes(monkeypatch):
    """Counts session saves (cached_db saves through the database store)."""
    saves = []
    original = SessionStore.save

    def save(self, *args, **kwargs):
        saves.append(self.session_key)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SessionStore, "save", save)
    return saves


def set_last_activity(client, seconds_ago):
    session = client.session
    session[SESSION_ACTIVE_KEY] = int(time.time()) - seconds_ago
    session.save()


def test_two_requests_within_a_minute_do_not_write_the_session(client, user, session_writes):
    log_in(client)
    assert client.get(PROFILE).status_code == 200
    session_writes.clear()

    assert client.get(PROFILE).status_code == 200
    assert client.get(PROFILE).status_code == 200

    assert session_writes == []


def test_a_request_after_a_minute_stamps_the_activity_once(client, user, session_writes):
    log_in(client)
    set_last_activity(client, settings.SESSION_ACTIVITY_SECONDS + 1)
    session_writes.clear()

    assert client.get(PROFILE).status_code == 200
    assert client.get(PROFILE).status_code == 200

    assert len(session_writes) == 1
    assert client.session[SESSION_ACTIVE_KEY] > time.time() - 5


def test_a_session_idle_longer_than_the_timeout_is_logged_out(client, user):
    log_in(client)
    set_last_activity(client, settings.SESSION_IDLE_SECONDS + 1)

    response = client.get(PROFILE)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_a_session_active_just_within_the_timeout_stays_logged_in(client, user):
    log_in(client)
    set_last_activity(client, settings.SESSION_IDLE_SECONDS - 5)

    assert client.get(PROFILE).status_code == 200


def test_the_stored_session_outlives_the_idle_timeout_by_the_stamp_interval(client, user):
    log_in(client)
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_SECONDS + settings.SESSION_ACTIVITY_SECONDS
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
