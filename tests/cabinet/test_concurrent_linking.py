"""The contract-link throttle under 50 concurrent wrong attempts, on PostgreSQL and the Redis cache
that production shares between its web processes: no more than the limit reach the contracts.

Check-then-act let 23 of 25 parallel wrong attempts through a limit of 5; counting and checking in
one ``incr`` does not. SQLite serialises every writer and the memory cache is one process's, so
the test proves nothing there and is skipped; CI (CI=true) runs it on PostgreSQL and Redis and
fails when they are missing.
"""

import os
import threading
import uuid
from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, connections

from accounts.models import OrganizationMembership
from cabinet.services import linking
from portal.ratelimit import POLICIES
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.meters.factories import ContractFactory
from tests.portal.factories import TenantFactory

THREADS = 50
POLICY = POLICIES["contract_link_failure"]


def redis_url():
    return settings.REDIS_URL or os.environ.get("REDIS_URL", "")


def missing_services():
    problems = []
    if connection.vendor != "postgresql":
        problems.append(f"the database is {connection.vendor}, not PostgreSQL (set DATABASE_URL)")
    if not redis_url():
        problems.append("REDIS_URL is not set")
    else:
        import redis

        try:
            redis.Redis.from_url(redis_url(), socket_connect_timeout=2).ping()
        except redis.RedisError as error:
            problems.append(f"Redis at {redis_url()} does not answer ({error})")
    return "; ".join(problems)


@pytest.fixture
def redis_cache(settings):
    """The Redis cache, under a prefix of this test's own: other users of the same Redis (the
    Celery broker, other runs) are neither read nor flushed."""
    problem = missing_services()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the concurrency tests on PostgreSQL and Redis: {problem}")
        pytest.skip(f"needs PostgreSQL and Redis: {problem}")
    prefix = f"abonent-test-{uuid.uuid4().hex[:10]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url(),
            "KEY_PREFIX": prefix,
        }
    }
    yield
    import redis

    client = redis.Redis.from_url(redis_url())
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def run_together(count, work):
    """Run ``work(i)`` in ``count`` threads started at the same moment; return what each raised."""
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def target(index):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = work(index)
        except ValidationError as error:
            outcomes[index] = error.code
        except Exception as error:  # reported by the test
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    close_old_connections()
    return outcomes


@pytest.fixture
def scene(redis_cache):
    tenant = TenantFactory(slug="izhvodokanal")
    organization = OrganizationFactory(tax_number="1833001122", name="Izhstal LLC")
    ContractFactory(tenant=tenant, number="ИВК-1024", tax_number="1833001122")
    return tenant, organization


def member(organization, index):
    user = UserFactory(email=f"member{index}@izhstal.test")
    OrganizationMembership.objects.create(organization=organization, user=user, role="accountant")
    return user


def counting_lookups():
    """Patch the contract lookup to count how many attempts reached it."""
    calls = []
    original = linking._link

    def counted(*args):
        calls.append(1)
        return original(*args)

    return calls, mock.patch.object(linking, "_link", counted)


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_wrong_attempts_of_one_user_let_only_the_limit_through(scene):
    tenant, organization = scene
    user = member(organization, 0)
    calls, patch = counting_lookups()

    def wrong(index):
        return linking.request_contract_link(
            tenant=tenant, organization=organization, user=user, tax_number="1833001122",
            contract_number=f"WRONG-{index}", client_ip=f"198.51.100.{index + 1}",
        )  # fmt: skip

    with patch:
        outcomes = run_together(THREADS, wrong)

    assert [o for o in outcomes if o not in ("no_match", "throttled")] == []
    assert outcomes.count("no_match") == POLICY.limit == len(calls)
    assert outcomes.count("throttled") == THREADS - POLICY.limit


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_wrong_attempts_from_one_address_let_only_its_limit_through(scene):
    tenant, organization = scene
    users = [member(organization, index) for index in range(THREADS)]
    calls, patch = counting_lookups()

    def wrong(index):
        return linking.request_contract_link(
            tenant=tenant, organization=organization, user=users[index], tax_number="1833001122",
            contract_number=f"WRONG-{index}", client_ip="203.0.113.7",
        )  # fmt: skip

    with patch:
        outcomes = run_together(THREADS, wrong)

    address_limit = POLICY.limit_of(("ip",))
    assert [o for o in outcomes if o not in ("no_match", "throttled")] == []
    assert outcomes.count("no_match") == address_limit == len(calls)
