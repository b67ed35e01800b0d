import pytest

from tests.factories import BranchFactory, TenantFactory, UserFactory


@pytest.fixture
def tenant(db):
    return TenantFactory(slug="azersu", name="Azersu", country_code="AZ", default_language="az")


@pytest.fixture
def other_tenant(db):
    return TenantFactory(slug="izhvodokanal", name="Izhvodokanal", country_code="RU", default_language="ru",
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
