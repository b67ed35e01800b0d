import pytest

from tests.accounts.factories import UserFactory
from tests.portal.factories import BranchFactory, TenantFactory, login_verified_staff


@pytest.fixture
def tenant(db):
    return TenantFactory(slug="azersu", name="Azersu", country_code="AZ", default_language="en")


@pytest.fixture
def other_tenant(db):
    return TenantFactory(
        slug="izhvodokanal",
        name="Izhvodokanal",
        country_code="RU",
        default_language="en",
        timezone="Europe/Samara",
        currency="RUB",
    )


@pytest.fixture
def branch(tenant):
    return BranchFactory(tenant=tenant)


@pytest.fixture
def user(db):
    return UserFactory(email="citizen@example.com", full_name="Aysel Mammadova")


@pytest.fixture
def other_user(db):
    return UserFactory(email="neighbour@example.com", full_name="Rashad Aliyev")


@pytest.fixture(autouse=True)
def source_language():
    """Each test starts in the source language: a request in another language leaves it active in
    the thread (LanguageMiddleware activates it per request), and messages a later test builds
    outside a request would be translated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_tenant_cache():
    """A tenant of a rolled-back test must not stay in the per-process snapshot (no signal on rollback)."""
    from portal import tenant_cache

    tenant_cache.clear()
    yield
    tenant_cache.clear()


@pytest.fixture(autouse=True)
def empty_cache():
    """Throttle counters (login, status check, contract linking) must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def sms_outbox():
    """SMS sent through portal.sms.LocmemSmsBackend (the test settings' backend), emptied per test."""
    from portal import sms

    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def otp_login(db):
    """Log a client in as a user whose session passed the admin's TOTP step: otp_login(client, user)."""
    return login_verified_staff


@pytest.fixture
def freeze_today(monkeypatch):
    """Make ``day`` today in every tenant's time zone, as every view, service and task asks it
    (``Tenant.today()``): ``freeze_today(datetime.date(2026, 10, 5))`` returns the day."""
    from portal.models import Tenant

    def freeze(day):
        monkeypatch.setattr(Tenant, "today", lambda tenant: day)
        return day

    return freeze


@pytest.fixture(scope="session")
def object_store(tmp_path_factory):
    """moto's S3 server, a process on loopback for the whole session (tests/object_store.py)."""
    from tests.object_store import start_server, stop_server

    process, store = start_server(tmp_path_factory.mktemp("moto") / "moto.log")
    yield store
    stop_server(process)


@pytest.fixture
def s3(object_store, settings, monkeypatch):
    """This test's files on the object store, under a prefix of its own: STORAGES built by the
    settings' own code (portal.storage.s3_storages) from the S3_* variables production sets."""
    import environ

    from portal.storage import s3_storages
    from tests.object_store import with_new_prefix

    store = with_new_prefix(object_store)
    for name, value in store.environment(store.prefix).items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, **s3_storages(environ.Env())}
    return store
