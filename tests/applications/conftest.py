import uuid

import pytest
from django.core.cache import cache

from applications import kinds, services
from tests.meters.factories import SubscriberAccountFactory


@pytest.fixture(autouse=True)
def empty_cache():
    # The status check counts wrong tries in the cache; every test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tenant(tenant):
    tenant.application_prefix = "AZS"
    tenant.save(update_fields=["application_prefix"])
    return tenant


@pytest.fixture
def account(tenant, branch):
    return SubscriberAccountFactory(
        tenant=tenant, branch=branch, code="7700123", holder_name="Aysel Mammadova", address="Nizami street 5, Baku"
    )


PLAIN_KIND = "plain_request"


@pytest.fixture
def plain_kind():
    """A kind of the engine's tests only: registered without a review of its own, so the generic
    admin decides it with plain status changes (every real kind today has its own admin)."""
    kind = kinds.register(kinds.Kind(code=PLAIN_KIND, label="Plain request", default_term=7))
    yield kind
    kinds.unregister(PLAIN_KIND)


@pytest.fixture
def submit(tenant, user, account):
    """Open an application through the service, with sensible defaults for every argument."""

    def submit(**overrides):
        arguments = {
            "tenant": tenant,
            "kind_code": "claim",
            "applicant": user,
            "idempotency_key": uuid.uuid4().hex,
            "language": "en",
            "account": account,
            "contact_email": "aysel@example.com",
        }
        arguments.update(overrides)
        return services.open_application(**arguments)

    return submit
