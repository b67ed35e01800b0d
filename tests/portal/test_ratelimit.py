"""The one rate limiter and the one way of reading the client's address."""

import time
from unittest import mock

import pytest
from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.test import RequestFactory

from portal import ratelimit
from portal.clients import client_ip

STATUS = ratelimit.POLICIES["status_check"]


def exhaust(name, **parts):
    for _ in range(ratelimit.POLICIES[name].limit):
        assert not ratelimit.is_limited(name, **parts)
        ratelimit.hit(name, **parts)


def test_reaching_the_limit_refuses_with_the_wait_until_the_window_closes():
    start = time.time()
    with mock.patch("time.time", return_value=start):
        exhaust("status_check", tenant=1, ip="203.0.113.7")
        assert ratelimit.retry_after("status_check", tenant=1, ip="203.0.113.7") == STATUS.window
    with mock.patch("time.time", return_value=start + STATUS.window - 30):
        assert ratelimit.retry_after("status_check", tenant=1, ip="203.0.113.7") == 30


def test_once_the_window_has_passed_the_action_is_allowed_again():
    start = time.time()
    with mock.patch("time.time", return_value=start):
        exhaust("status_check", tenant=1, ip="203.0.113.7")
    with mock.patch("time.time", return_value=start + STATUS.window + 1):
        assert not ratelimit.is_limited("status_check", tenant=1, ip="203.0.113.7")


def test_status_checks_are_counted_per_tenant_and_per_address():
    exhaust("status_check", tenant=1, ip="203.0.113.7")
    assert ratelimit.is_limited("status_check", tenant=1, ip="203.0.113.7")
    assert not ratelimit.is_limited("status_check", tenant=2, ip="203.0.113.7")
    assert not ratelimit.is_limited("status_check", tenant=1, ip="198.51.100.20")


def test_a_policy_with_two_counters_refuses_when_either_is_full():
    exhaust("contract_link_failure", user=1, ip="203.0.113.7")
    assert ratelimit.is_limited("contract_link_failure", user=1, ip="198.51.100.20")  # same user
    # The address has a limit of its own, higher: other users behind it go on.
    assert not ratelimit.is_limited("contract_link_failure", user=2, ip="203.0.113.7")
    for user in range(2, 5):
        exhaust("contract_link_failure", user=user, ip="203.0.113.7")
    assert ratelimit.is_limited("contract_link_failure", user=5, ip="203.0.113.7")  # same address
    assert not ratelimit.is_limited("contract_link_failure", user=5, ip="198.51.100.20")
    assert not ratelimit.is_limited("contract_link_failure", user=5, ip=None)  # no address: user only


def test_an_attempt_is_counted_and_checked_in_one_step():
    for _ in range(STATUS.limit):
        assert ratelimit.attempt("status_check", tenant=1, ip="203.0.113.7") == 0
    assert ratelimit.attempt("status_check", tenant=1, ip="203.0.113.7") == STATUS.window
    # A refused attempt is not counted, a refunded one is given back.
    ratelimit.refund("status_check", tenant=1, ip="203.0.113.7")
    assert ratelimit.attempt("status_check", tenant=1, ip="203.0.113.7") == 0
    assert ratelimit.attempt("status_check", tenant=1, ip="203.0.113.7") > 0


def test_a_refused_attempt_gives_back_what_it_counted_on_the_other_counters():
    for user in range(1, 5):
        exhaust("contract_link_failure", user=user, ip="203.0.113.7")  # the address is full

    assert ratelimit.attempt("contract_link_failure", user=9, ip="203.0.113.7") > 0
    for _ in range(ratelimit.POLICIES["contract_link_failure"].limit):
        assert ratelimit.attempt("contract_link_failure", user=9, ip="198.51.100.20") == 0


def test_user_input_in_a_key_is_hashed():
    ratelimit.hit("password_reset_mail", recipient="Ann O'Neil <ann@example.com>\n", ip="::1")
    keys = [key for key in cache._cache if "password_reset_mail" in key]  # LocMemCache's store
    assert keys and all("ann" not in key and "\n" not in key for key in keys)


def test_the_retry_message_rounds_the_wait_up_to_whole_minutes():
    assert ratelimit.retry_message(61) == "Too many attempts. Try again in 2 minutes."
    assert ratelimit.retry_message(5) == "Too many attempts. Try again in 1 minute."


# --- the client's address -------------------------------------------------------------------------


@pytest.fixture
def behind(settings):
    def configure(proxies, trusted=()):
        settings.CLIENT_IP_PROXY_COUNT = proxies
        settings.CLIENT_IP_TRUSTED_PROXIES = list(trusted)

    return configure


def request(remote="10.0.0.5", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_a_proxy_the_address_is_the_connections_and_x_forwarded_for_is_ignored(behind):
    behind(0)
    assert client_ip(request("203.0.113.7", forwarded="198.51.100.20")) == "203.0.113.7"


def test_behind_one_proxy_the_address_it_appended_is_the_clients(behind):
    behind(1)
    assert client_ip(request(forwarded="203.0.113.7")) == "203.0.113.7"
    # What the client wrote into the header himself is left of it, and never believed.
    assert client_ip(request(forwarded="6.6.6.6, 203.0.113.7")) == "203.0.113.7"


def test_behind_two_proxies_the_client_is_second_from_the_right(behind):
    behind(2)
    assert client_ip(request(forwarded="6.6.6.6, 203.0.113.7, 10.0.0.9")) == "203.0.113.7"


def test_a_request_that_bypassed_the_proxies_falls_back_to_the_connection(behind):
    behind(1)
    assert client_ip(request("203.0.113.7")) == "203.0.113.7"


def test_with_trusted_proxies_only_their_header_is_believed(behind):
    behind(1, trusted=["10.0.0.0/24"])
    assert client_ip(request("10.0.0.5", forwarded="203.0.113.7")) == "203.0.113.7"
    assert client_ip(request("198.51.100.20", forwarded="203.0.113.7")) == "198.51.100.20"


def test_login_lockout_reads_the_same_address(behind):
    behind(1)
    assert get_client_ip_address(request(forwarded="6.6.6.6, 203.0.113.7")) == "203.0.113.7"
