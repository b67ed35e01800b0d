"""The cabinet cast, on the Azersu tenant: the owner (``user``) and an accountant of Izhstal LLC, a
stranger who owns another organization, staff of the tenant and of another tenant, and a contract
linked to Izhstal. Tests that need another tenant build their world with tests.cabinet.factories."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.cabinet.factories import linked_contract, member_of
from tests.portal.factories import StaffMembershipFactory


@pytest.fixture
def organization(user):
    organization = OrganizationFactory(
        tax_number="1833001122",
        name="Izhstal LLC",
        legal_address="Votkinskoye shosse 1, Izhevsk",
        bank_name="Sberbank",
        bank_code="049401601",
        bank_account="40702810968000001234",
    )
    member_of(organization, user, "owner")
    return organization


@pytest.fixture
def owner(user, organization):
    return user


@pytest.fixture
def accountant(organization):
    """A member who is not the owner."""
    accountant = UserFactory(email="accountant@izhstal.test")
    member_of(organization, accountant, "accountant")
    return accountant


@pytest.fixture
def other_organization(other_user):
    organization = OrganizationFactory()
    member_of(organization, other_user, "owner")
    return organization


@pytest.fixture
def stranger(other_user, other_organization):
    """The owner of another organization."""
    return other_user


@pytest.fixture
def staff(tenant):
    """Staff of the tenant who may see contracts and their links in the admin."""
    membership = StaffMembershipFactory(tenant=tenant, user__email="reviewer@azersu.test")
    membership.user.user_permissions.add(*Permission.objects.filter(content_type__app_label__in=["meters", "cabinet"]))
    return membership.user


@pytest.fixture
def other_staff(other_tenant):
    """Staff of another tenant, with the same permissions."""
    membership = StaffMembershipFactory(tenant=other_tenant, user__email="reviewer@izhvodokanal.test")
    membership.user.user_permissions.add(*Permission.objects.filter(content_type__app_label__in=["meters", "cabinet"]))
    return membership.user


@pytest.fixture
def contract(tenant, organization):
    """A contract of the tenant linked to Izhstal LLC."""
    return linked_contract(tenant, organization=organization, number="UZ-77", monthly_limit=Decimal("500"))


@pytest.fixture
def member(client, accountant, contract):
    """A client logged in as the accountant, a member of the contract's organization."""
    client.force_login(accountant)
    return client
