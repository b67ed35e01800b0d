"""Who belongs to an organization: the one membership check every layer above reuses."""

from django.core.exceptions import PermissionDenied

from accounts.models import OrganizationMembership


def is_member(organization, user, *, role=None):
    """Whether ``user`` is a member of ``organization`` (with ``role``, when given)."""
    memberships = OrganizationMembership.objects.filter(organization=organization, user=user)
    if role is not None:
        memberships = memberships.filter(role=role)
    return memberships.exists()


def is_owner(organization, user):
    return is_member(organization, user, role=OrganizationMembership.Role.OWNER)


def require_member(organization, user):
    if not is_member(organization, user):
        raise PermissionDenied


def require_owner(organization, user):
    if not is_owner(organization, user):
        raise PermissionDenied


def is_verified_representative(organization, user):
    """A state login asserted that ``user`` represents ``organization`` (issue #13)."""
    return OrganizationMembership.objects.filter(organization=organization, user=user).exclude(verified_by="").exists()
