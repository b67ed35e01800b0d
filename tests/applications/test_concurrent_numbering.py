"""Concurrent submissions on PostgreSQL: the row lock on the number sequence is what keeps numbers
distinct and gap-free, and the idempotency constraint what keeps a double post to one application.

SQLite serialises every writer on the whole database, so these tests prove nothing there and are
skipped; CI runs on PostgreSQL (CI=true) and must run them.
"""

import os
import threading
import uuid

import pytest
from django.db import close_old_connections, connection, connections, transaction

from applications import services
from applications.models import Application, NumberSequence
from tests.accounts.factories import UserFactory
from tests.meters.factories import SubscriberAccountFactory
from tests.portal.factories import BranchFactory, TenantFactory

THREADS = 8


@pytest.fixture
def postgresql():
    if connection.vendor == "postgresql":
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the concurrency tests on PostgreSQL, not {connection.vendor}; check DATABASE_URL.")
    pytest.skip("needs PostgreSQL row locks: run with DATABASE_URL=postgres://… (SQLite serialises all writers)")


def run_together(count, work):
    """Run ``work(i)`` in ``count`` threads started at the same moment; return results and errors."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def target(index):
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                results[index] = work(index)
        except Exception as error:  # reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    close_old_connections()
    return results, errors


@pytest.fixture
def scene(postgresql):
    tenant = TenantFactory(slug="azersu", application_prefix="AZS")
    account = SubscriberAccountFactory(tenant=tenant, branch=BranchFactory(tenant=tenant))
    users = [UserFactory() for _ in range(THREADS)]
    return tenant, account, users


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_gap_free_numbers(scene):
    tenant, account, users = scene

    def submit(index):
        application, _created = services.open_application(
            tenant=tenant,
            kind_code="claim",
            applicant=users[index],
            idempotency_key=uuid.uuid4().hex,
            language="en",
            account=account,
        )
        return application.number

    numbers, errors = run_together(THREADS, submit)

    assert errors == []
    year = tenant.today().year
    assert sorted(numbers) == [f"AZS-{year}-{n:06d}" for n in range(1, THREADS + 1)]


@pytest.mark.django_db(transaction=True)
def test_a_double_post_racing_itself_creates_one_application(scene):
    tenant, account, users = scene

    def submit(index):
        application, _created = services.open_application(
            tenant=tenant,
            kind_code="claim",
            applicant=users[0],
            idempotency_key="double-click",
            language="en",
            account=account,
        )
        return application.pk

    pks, errors = run_together(4, submit)

    assert errors == []
    assert len(set(pks)) == 1
    assert Application.objects.count() == 1
    assert NumberSequence.objects.get().last_value == 1  # the losers' increments were rolled back
