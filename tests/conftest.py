import pytest

from tests.factories import BranchFactory, TenantFactory, UserFactory


@pytest.fixture
def tenant(db):
    return TenantFactory(slug="azersu", name="Azersu", country_code="AZ", default_language="en")


@pytest.fixture
def other_tenant(db):
    return TenantFactory(slug="izhvodokanal", name="Izhvodokanal", country_code="RU", default_language="en",
                         timezone="Europe/Samara", currency="RUB")


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
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def login(client, user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return login
