"""Staff open a contract's document from the admin through the one download policy: verified with
two factors, of the tenant and allowed for the account's branch; everyone else gets 404."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tests.portal.factories import BranchFactory, StaffMembershipFactory, login_verified_staff

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def contract_with_document(contract):
    contract.document.save("contract.pdf", ContentFile(PDF), save=True)
    return contract


def document_url(contract):
    return reverse("admin:meters_contract_document", args=[contract.pk])


def test_verified_staff_download_the_document_and_the_change_page_links_to_it(client, staff, contract_with_document):
    login_verified_staff(client, staff)

    page = client.get(reverse("admin:meters_contract_change", args=[contract_with_document.pk])).content.decode()
    response = client.get(document_url(contract_with_document))

    assert document_url(contract_with_document) in page
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF


def test_staff_without_a_verified_second_factor_get_404(client, staff, contract_with_document):
    client.force_login(staff)  # password only: the admin itself refuses, the download too

    assert client.get(document_url(contract_with_document)).status_code in (302, 404)


def test_staff_of_another_branch_or_tenant_get_404(client, tenant, other_staff, contract_with_document):
    elsewhere = StaffMembershipFactory(tenant=tenant, user__email="branch@azersu.test")
    elsewhere.branches.add(BranchFactory(tenant=tenant, code="OTHER"))
    elsewhere.user.user_permissions.set(other_staff.user_permissions.all())

    for user in (other_staff, elsewhere.user):
        login_verified_staff(client, user)
        assert client.get(document_url(contract_with_document)).status_code == 404
