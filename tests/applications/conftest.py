import uuid

import pytest
from django.core.cache import cache

from applications import services
from portal.models import Tenant
from tests.w1_factories import SubscriberAccountFactory


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


@pytest.fixture
def on_day(monkeypatch):
    """Make ``day`` today in every tenant's time zone, for numbers and due dates."""

    def set_today(day):
        monkeypatch.setattr(Tenant, "today", lambda tenant: day)

    return set_today


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
