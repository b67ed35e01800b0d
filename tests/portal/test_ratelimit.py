"""The one rate limiter and the one way of reading the client's address."""

import time
from unittest import mock

import pytest
from axes.helpers import get_client_ip_address
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
    assert ratelimit.is_limited("contract_link_failure", user=2, ip="203.0.113.7")  # same address
    assert ratelimit.is_limited("contract_link_failure", user=1, ip="198.51.100.20")  # same user
    assert not ratelimit.is_limited("contract_link_failure", user=2, ip="198.51.100.20")
    assert not ratelimit.is_limited("contract_link_failure", user=2, ip=None)  # no address: user only


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
