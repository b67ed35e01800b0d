"""A cabinet user links his company's contract by its tax number and contract number: at once, or
after staff confirm; wrong pairs get one neutral answer and repeated tries are throttled."""

import time
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse

from cabinet.models import ContractLink
from portal.urls_helpers import tenant_reverse
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.cabinet.factories import member_of
from tests.meters.factories import ContractFactory
from tests.portal.factories import login_verified_staff

pytestmark = pytest.mark.django_db

NEUTRAL = "No contract matches this tax number and contract number."


@pytest.fixture(autouse=True)
def fresh_throttle():
    # Failed attempts live in the cache, which outlives a test's database transaction.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def contract(tenant):
    """Not linked yet: linking it is what these tests do."""
    return ContractFactory(tenant=tenant, number="ИВК-1024", tax_number="1833001122", counterparty_name="Izhstal LLC")


def home(client, tenant):
    return client.get(tenant_reverse(tenant, "cabinet:home")).content.decode()


def link(client, tenant, tax_number, number, **extra):
    return client.post(
        tenant_reverse(tenant, "cabinet:link_contract"),
        {"tax_number": tax_number, "contract_number": number},
        follow=True,
        **extra,
    )


def test_a_user_without_an_organization_is_asked_to_register_one(client, tenant, user):
    client.force_login(user)
    page = home(client, tenant)
    assert "You are not a member of any organization yet." in page
    assert tenant_reverse(tenant, "accounts:organization_create") in page
    assert tenant_reverse(tenant, "cabinet:link_contract") not in page


def test_linking_a_contract_adds_its_sections_to_the_menu(client, tenant, user, organization, contract):
    client.force_login(user)
    detail_url = tenant_reverse(tenant, "cabinet:contract_detail", kwargs={"contract_id": contract.pk})
    assert detail_url not in home(client, tenant)

    response = link(client, tenant, "1833 001 122", "ИВК-1024")

    page = response.content.decode()
    assert "Request sent. Contract №ИВК-1024 is linked" in page
    assert detail_url in page
    assert tenant_reverse(tenant, "cabinet:consumer_info", kwargs={"contract_id": contract.pk}) in page
    contract.refresh_from_db()
    assert contract.organization == organization
    link_row = ContractLink.objects.get()
    assert (link_row.status, link_row.requested_by, link_row.decided_by) == ("active", user, None)


def test_an_accountant_may_link_a_contract(client, tenant, organization, accountant, contract):
    client.force_login(accountant)

    link(client, tenant, "1833001122", "ИВК-1024")

    contract.refresh_from_db()
    assert contract.organization == organization


def test_with_confirmation_required_the_contract_waits_for_staff_in_the_admin(
    client, tenant, user, organization, contract, staff
):
    tenant.contract_link_needs_confirmation = True
    tenant.save()
    client.force_login(user)

    page = link(client, tenant, "1833001122", "ИВК-1024").content.decode()

    assert "will appear in the menu once Azersu confirms the link" in page
    assert "Waiting for confirmation" in page
    detail_url = tenant_reverse(tenant, "cabinet:contract_detail", kwargs={"contract_id": contract.pk})
    assert detail_url not in page
    pending = ContractLink.objects.get()
    assert pending.status == "pending"
    contract.refresh_from_db()
    assert contract.organization is None

    staff_client = client_class_copy(client)
    login_verified_staff(staff_client, staff)
    response = staff_client.post(
        reverse("admin:cabinet_contractlink_changelist"),
        {"action": "confirm", "_selected_action": [pending.pk]},
        follow=True,
    )
    assert "1 link confirmed." in response.content.decode()

    pending.refresh_from_db()
    assert pending.status == "active" and pending.decided_by.email == "reviewer@azersu.test"
    assert detail_url in home(client, tenant)


def test_staff_may_reject_a_pending_link(client, tenant, user, organization, contract, staff):
    tenant.contract_link_needs_confirmation = True
    tenant.save()
    client.force_login(user)
    link(client, tenant, "1833001122", "ИВК-1024")
    pending = ContractLink.objects.get()

    staff_client = client_class_copy(client)
    login_verified_staff(staff_client, staff)
    staff_client.post(
        reverse("admin:cabinet_contractlink_changelist"), {"action": "reject", "_selected_action": [pending.pk]}
    )

    pending.refresh_from_db()
    contract.refresh_from_db()
    assert pending.status == "rejected" and contract.organization is None
    page = home(client, tenant)
    assert "Waiting for confirmation" not in page
    assert "Azersu refused the link on" in page


def test_a_wrong_tax_number_and_a_wrong_contract_number_get_the_same_neutral_error(
    client, tenant, user, organization, contract
):
    client.force_login(user)

    wrong_tax = error_summary(link(client, tenant, "1833009999", "ИВК-1024"))
    wrong_number = error_summary(link(client, tenant, "1833001122", "ИВК-9999"))

    assert NEUTRAL in wrong_tax
    assert wrong_tax == wrong_number
    assert not ContractLink.objects.exists()


def test_a_company_cannot_link_a_contract_of_another_tax_number(client, tenant, user, organization):
    """Knowing another company's pair is not enough: the organization's own tax number must match."""
    ContractFactory(tenant=tenant, number="ИВК-2048", tax_number="1844556677")
    client.force_login(user)

    assert NEUTRAL in error_summary(link(client, tenant, "1844556677", "ИВК-2048"))
    assert not ContractLink.objects.exists()


def test_after_five_failures_even_the_right_pair_is_refused(client, tenant, user, organization, contract):
    client.force_login(user)
    for attempt in range(5):
        assert NEUTRAL in error_summary(link(client, tenant, "1833001122", f"WRONG-{attempt}"))

    refused = error_summary(link(client, tenant, "1833001122", "ИВК-1024"))

    assert "Too many attempts. Try again in 15 minutes." in refused
    assert NEUTRAL not in refused
    assert not ContractLink.objects.exists()


def test_the_throttle_lifts_fifteen_minutes_after_the_first_failure(client, tenant, user, organization, contract):
    client.force_login(user)
    start = time.time()
    with mock.patch("time.time", return_value=start):
        for attempt in range(5):
            link(client, tenant, "1833001122", f"WRONG-{attempt}")
    with mock.patch("time.time", return_value=start + 14 * 60):
        assert "Try again in 1 minute." in error_summary(link(client, tenant, "1833001122", "ИВК-1024"))
    with mock.patch("time.time", return_value=start + 15 * 60 + 1):
        link(client, tenant, "1833001122", "ИВК-1024")

    assert ContractLink.objects.get().status == "active"


def test_another_companys_failures_from_the_same_address_do_not_refuse_a_correct_link(
    client, tenant, user, organization, contract
):
    """An office or a NAT puts several companies behind one address: the address allows more
    failures than one user does."""
    client.force_login(user)
    for attempt in range(5):
        link(client, tenant, "1833001122", f"WRONG-{attempt}", REMOTE_ADDR="203.0.113.7")
    refused = error_summary(link(client, tenant, "1833001122", "ИВК-1024", REMOTE_ADDR="203.0.113.7"))
    assert "Too many attempts" in refused

    neighbour = UserFactory(email="owner@neighbour.test")
    neighbour_company = OrganizationFactory(tax_number="1844000001", name="Neighbour LLC")
    member_of(neighbour_company, neighbour, role="owner")
    ContractFactory(tenant=tenant, number="ИВК-2000", tax_number="1844000001")
    client.force_login(neighbour)
    link(client, tenant, "1844000001", "ИВК-2000", REMOTE_ADDR="203.0.113.7")

    assert ContractLink.objects.get().organization == neighbour_company


def test_an_address_trying_with_many_accounts_is_refused_after_twenty_failures(client, tenant, organization, contract):
    for index in range(4):
        accountant = UserFactory(email=f"accountant{index}@izhstal.test")
        member_of(organization, accountant, role="accountant")
        client.force_login(accountant)
        for attempt in range(5):
            assert NEUTRAL in error_summary(
                link(client, tenant, "1833001122", f"WRONG-{attempt}", REMOTE_ADDR="203.0.113.7")
            )
    fresh = UserFactory(email="fresh@izhstal.test")
    member_of(organization, fresh, role="accountant")
    client.force_login(fresh)

    refused = error_summary(link(client, tenant, "1833001122", "ИВК-1024", REMOTE_ADDR="203.0.113.7"))
    assert "Too many attempts" in refused
    link(client, tenant, "1833001122", "ИВК-1024", REMOTE_ADDR="198.51.100.20")
    assert ContractLink.objects.get().requested_by == fresh


def test_successful_links_do_not_count_as_failures(client, tenant, user, organization):
    client.force_login(user)
    for index in range(6):
        ContractFactory(tenant=tenant, number=f"ИВК-{index}", tax_number="1833001122")
        link(client, tenant, "1833001122", f"ИВК-{index}")

    assert ContractLink.objects.filter(status="active").count() == 6


def test_a_contract_linked_to_another_organization_cannot_be_taken_over(client, tenant, user, organization, contract):
    holding = OrganizationFactory(tax_number="1800000001", name="Holding JSC")
    contract.organization = holding
    contract.save()
    client.force_login(user)

    assert NEUTRAL in error_summary(link(client, tenant, "1833001122", "ИВК-1024"))

    contract.refresh_from_db()
    assert contract.organization == holding
    assert not ContractLink.objects.exists()


def test_a_pending_request_of_another_organization_blocks_the_contract(client, tenant, user, organization, contract):
    other = OrganizationFactory(tax_number="1800000002")
    ContractLink.objects.create(
        tenant=tenant, contract=contract, organization=other, requested_by=UserFactory(), status="pending"
    )
    client.force_login(user)

    assert NEUTRAL in error_summary(link(client, tenant, "1833001122", "ИВК-1024"))
    assert ContractLink.objects.count() == 1


def test_another_tenants_contract_with_the_same_numbers_does_not_match(
    client, tenant, other_tenant, user, organization
):
    ContractFactory(tenant=other_tenant, number="ИВК-1024", tax_number="1833001122")
    client.force_login(user)

    assert NEUTRAL in error_summary(link(client, tenant, "1833001122", "ИВК-1024"))
    assert not ContractLink.objects.exists()


def test_linking_an_already_linked_contract_says_so(client, tenant, user, organization, contract):
    client.force_login(user)
    link(client, tenant, "1833001122", "ИВК-1024")

    again = error_summary(link(client, tenant, "1833001122", "ИВК-1024"))

    assert "This contract is already linked to your organization." in again
    assert ContractLink.objects.count() == 1


def test_one_cannot_link_for_an_organization_one_is_not_a_member_of(client, tenant, user, organization, contract):
    # A member of two organizations chooses among them; the company he is not part of is not a choice.
    member_of(OrganizationFactory(), user, "owner")
    foreign = OrganizationFactory(tax_number="1899999999")
    client.force_login(user)

    response = client.post(
        tenant_reverse(tenant, "cabinet:link_contract"),
        {"organization": foreign.pk, "tax_number": "1833001122", "contract_number": "ИВК-1024"},
    )

    assert "Select a valid choice" in response.content.decode()
    assert not ContractLink.objects.exists()


# -- helpers ------------------------------------------------------------------------------------


def error_summary(response):
    page = response.content.decode()
    start = page.find('class="error-summary"')
    assert start != -1, "no error summary on the page"
    return page[start : page.find("</div>", start)]


def client_class_copy(client):
    return type(client)()


def test_staff_see_the_link_history_on_the_contract_in_the_admin(
    client, tenant, user, organization, contract, staff
):
    client.force_login(user)
    link(client, tenant, "1833001122", "ИВК-1024")
    staff_client = client_class_copy(client)
    login_verified_staff(staff_client, staff)

    page = staff_client.get(reverse("admin:meters_contract_change", args=[contract.pk])).content.decode()

    history = page[page.index("Link history") :]
    assert "Izhstal LLC" in history and "Linked" in history


def test_a_representative_verified_by_a_state_login_needs_no_staff_confirmation(
    client, tenant, user, organization, contract
):
    # Issue #13: the state asserted that he represents the company; staff would confirm the same.
    tenant.contract_link_needs_confirmation = True
    tenant.save()
    organization.memberships.filter(user=user).update(verified_by="e-gov")
    client.force_login(user)

    link(client, tenant, "1833001122", "ИВК-1024")

    assert ContractLink.objects.get().status == "active"
    contract.refresh_from_db()
    assert contract.organization == organization
