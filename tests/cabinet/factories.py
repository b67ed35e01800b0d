"""Builders for the cabinet's world: a member of an organization, and a contract linked to it."""

from accounts.models import OrganizationMembership
from tests.accounts.factories import OrganizationFactory
from tests.meters.factories import ContractFactory


def member_of(organization, user, role="owner"):
    """``user`` joins ``organization`` as ``role`` (once: a second call keeps the first role)."""
    membership, _created = OrganizationMembership.objects.get_or_create(
        organization=organization, user=user, defaults={"role": role}
    )
    return membership


def linked_contract(tenant, member=None, *, role="owner", organization=None, **fields):
    """A contract of ``tenant`` linked to ``organization`` (a new one unless given), with the
    organization's tax number; ``member``, if given, joins the organization as ``role``."""
    organization = organization or OrganizationFactory()
    if member is not None:
        member_of(organization, member, role)
    fields.setdefault("tax_number", organization.tax_number)
    return ContractFactory(tenant=tenant, organization=organization, **fields)
