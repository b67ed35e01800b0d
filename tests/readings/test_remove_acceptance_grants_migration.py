"""The data migration of issue #8: the grants acceptance made (applicant of an executed W1
application added to the account's users) are removed; every other holder stays."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("readings", "0002_subscribercodelookup")]
AFTER = [("readings", "0003_remove_grants_made_by_acceptance")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    # The state there: the targets, and every other app as far as it is migrated.
    nodes = targets + [node for node in executor.loader.graph.leaf_nodes() if node[0] != "readings"]
    return executor.loader.project_state(nodes).apps


@pytest.fixture
def before(transactional_db):
    yield migrate(BEFORE)
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_acceptance_made_grants_are_removed_and_other_holders_kept(before):
    get = before.get_model
    tenant = get("portal", "Tenant").objects.create(
        slug="azersu", name="Azersu", country_code="AZ", default_language="az", currency="AZN", workflows=[]
    )
    branch = get("portal", "Branch").objects.create(tenant=tenant, code="NAS", name="Nasimi")
    User = get("accounts", "User")
    stranger = User.objects.create(email="stranger@example.com", full_name="Stranger")
    holder = User.objects.create(email="holder@example.com", full_name="Holder")
    pending = User.objects.create(email="pending@example.com", full_name="Pending")
    elsewhere = User.objects.create(email="elsewhere@example.com", full_name="Elsewhere")
    Account = get("meters", "SubscriberAccount")
    account = Account.objects.create(tenant=tenant, branch=branch, code="1000001", holder_name="H", address="A 1")
    other = Account.objects.create(tenant=tenant, branch=branch, code="1000002", holder_name="O", address="A 2")
    readings = get("applications", "ApplicationKind").objects.create(tenant=tenant, code="meter_readings", name="R")
    other_kind = get("applications", "ApplicationKind").objects.create(tenant=tenant, code="connection", name="C")

    def apply(number, applicant, on, status, kind=readings):
        get("applications", "Application").objects.create(
            tenant=tenant,
            number=f"AZS-2026-{number:06d}",
            kind=kind,
            applicant=applicant,
            account=on,
            branch=branch,
            language="az",
            idempotency_key=f"k{number}",
            due_on=datetime.date(2026, 10, 8),
            status=status,
        )

    apply(1, stranger, account, "executed")  # the grant the attack got
    apply(2, pending, account, "submitted")  # not accepted: not a grant by acceptance
    apply(3, elsewhere, other, "executed")  # accepted for another account only
    apply(4, holder, account, "executed", kind=other_kind)  # another kind: no grant by W1 acceptance
    account.users.add(stranger, holder, pending, elsewhere)
    other.users.add(elsewhere)

    after = migrate(AFTER)

    holders = after.get_model("meters", "SubscriberAccount").objects.get(pk=account.pk).users
    assert set(holders.values_list("email", flat=True)) == {
        "holder@example.com",
        "pending@example.com",
        "elsewhere@example.com",
    }
    other_holders = after.get_model("meters", "SubscriberAccount").objects.get(pk=other.pk).users
    assert not other_holders.exists()  # his grant for the other account came from acceptance too
