import pytest
from django.urls import reverse

from portal.models import Branch
from tests.portal.factories import BranchFactory, StaffMembershipFactory, login_verified_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(tenant):
    from django.contrib.auth.models import Permission

    user = StaffMembershipFactory(tenant=tenant).user
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_branch", "view_branch", "change_branch"]))
    return user


def test_staff_creates_a_branch_in_their_own_tenant_without_choosing_it(client, staff, tenant):
    login_verified_staff(client, staff)
    response = client.post(reverse("admin:portal_branch_add"), {"code": "NAS", "name": "Nasimi"})
    assert response.status_code == 302
    assert Branch.objects.get(code="NAS").tenant == tenant


def test_a_duplicate_code_in_the_same_tenant_is_a_form_error_not_a_crash(client, staff, tenant):
    BranchFactory(tenant=tenant, code="NAS")
    login_verified_staff(client, staff)
    response = client.post(reverse("admin:portal_branch_add"), {"code": "NAS", "name": "Nasimi again"})
    assert response.status_code == 200
    assert Branch.objects.filter(tenant=tenant, code="NAS").count() == 1
    assert response.context["adminform"].form.errors


def test_staff_see_only_their_tenants_branches(client, staff, tenant, other_tenant):
    BranchFactory(tenant=tenant, name="Own branch")
    BranchFactory(tenant=other_tenant, name="Foreign branch")
    login_verified_staff(client, staff)
    response = client.get(reverse("admin:portal_branch_changelist"))
    assert "Own branch" in response.text
    assert "Foreign branch" not in response.text
