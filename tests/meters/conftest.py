"""The meters cast: an Azersu account with a year of readings, and staff of its branch allowed into
the meters admin."""

import pytest
from django.contrib.auth.models import Permission

from tests.accounts.factories import UserFactory
from tests.meters.factories import account_with_history
from tests.portal.factories import StaffMembershipFactory


@pytest.fixture
def account(tenant, branch):
    return account_with_history(tenant, branch)


@pytest.fixture
def reviewer(tenant, branch):
    membership = StaffMembershipFactory(
        tenant=tenant, user=UserFactory(email="reviewer@azersu.test", is_staff=True, preferred_language="en")
    )
    membership.branches.add(branch)
    permissions = Permission.objects.filter(content_type__app_label__in=["meters", "applications", "readings"])
    membership.user.user_permissions.add(*permissions)
    return membership.user
