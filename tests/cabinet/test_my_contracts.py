"""My contracts: the organization's linked contracts in a table; removing one (after a
confirmation) takes it out of the cabinet and its menu, and keeps its history."""

import pytest
from django.core.cache import cache

from cabinet.models import ContractLink
from cabinet.services import linking as services
from meters.models import Reading
from portal.urls_helpers import tenant_reverse
from tests.meters.factories import ContractFactory, MeterFactory, ReadingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()


def linked_through_the_service(tenant, organization, user, number, **fields):
    """Linked as a user does it, so the link history (ContractLink rows) is real."""
    contract = ContractFactory(tenant=tenant, number=number, tax_number=organization.tax_number, **fields)
    services.request_contract_link(
        tenant=tenant, organization=organization, user=user, tax_number=contract.tax_number, contract_number=number
    )
    contract.refresh_from_db()
    return contract


def url(tenant, name, contract=None):
    kwargs = {"contract_id": contract.pk} if contract else None
    return tenant_reverse(tenant, name, kwargs=kwargs)


def test_my_contracts_lists_each_linked_contract_with_its_facts(client, tenant, user, organization):
    import datetime

    linked_through_the_service(
        tenant,
        organization,
        user,
        "ИВК-1024",
        counterparty_name="Izhstal LLC",
        readings_deadline_day=8,
        signed_on=datetime.date(2024, 3, 1),
    )
    client.force_login(user)

    page = client.get(url(tenant, "cabinet:contracts")).content.decode()

    row = page[page.find("<tbody>") : page.find("</tbody>")]
    for text in ("Izhstal LLC", ">8</td>", "1833001122", "ИВК-1024", "Remove"):
        assert text in row


def test_remove_asks_for_confirmation_before_anything_changes(client, tenant, user, organization):
    contract = linked_through_the_service(tenant, organization, user, "ИВК-1024")
    client.force_login(user)

    page = client.get(url(tenant, "cabinet:contract_remove", contract)).content.decode()

    assert "Remove contract №ИВК-1024?" in page
    contract.refresh_from_db()
    assert contract.organization == organization


def test_removing_the_last_contract_hides_the_menu_and_keeps_the_history(client, tenant, user, organization):
    contract = linked_through_the_service(tenant, organization, user, "ИВК-1024")
    reading = ReadingFactory(meter=MeterFactory(account=contract.account))
    client.force_login(user)
    assert url(tenant, "cabinet:consumer_info", contract) in client.get(url(tenant, "cabinet:home")).content.decode()

    response = client.post(url(tenant, "cabinet:contract_remove", contract), follow=True)

    assert "Contract №ИВК-1024 is removed from the cabinet." in response.content.decode()
    home = client.get(url(tenant, "cabinet:home")).content.decode()
    assert url(tenant, "cabinet:consumer_info", contract) not in home
    assert url(tenant, "cabinet:contract_detail", contract) not in home
    assert "No contract is linked to your organization yet." in home
    assert url(tenant, "cabinet:link_contract") in home
    contract.refresh_from_db()
    assert contract.organization is None
    history = ContractLink.objects.get(contract=contract)
    assert history.status == "removed" and history.ended_at is not None
    assert Reading.objects.filter(pk=reading.pk).exists()
    assert client.get(url(tenant, "cabinet:contract_detail", contract)).status_code == 404


def test_removing_one_of_two_contracts_keeps_the_other_in_the_menu(client, tenant, user, organization):
    first = linked_through_the_service(tenant, organization, user, "ИВК-1")
    second = linked_through_the_service(tenant, organization, user, "ИВК-2")
    client.force_login(user)

    client.post(url(tenant, "cabinet:contract_remove", first))

    home = client.get(url(tenant, "cabinet:home")).content.decode()
    assert url(tenant, "cabinet:contract_detail", first) not in home
    assert url(tenant, "cabinet:contract_detail", second) in home


def test_a_removed_contract_can_be_linked_again_and_both_links_stay_in_the_history(client, tenant, user, organization):
    contract = linked_through_the_service(tenant, organization, user, "ИВК-1024")
    client.force_login(user)
    client.post(url(tenant, "cabinet:contract_remove", contract))

    client.post(url(tenant, "cabinet:link_contract"), {"tax_number": "1833001122", "contract_number": "ИВК-1024"})

    contract.refresh_from_db()
    assert contract.organization == organization
    statuses = sorted(ContractLink.objects.filter(contract=contract).values_list("status", flat=True))
    assert statuses == ["active", "removed"]


def test_an_accountant_may_remove_a_contract_for_the_organization(client, tenant, user, organization, accountant):
    contract = linked_through_the_service(tenant, organization, user, "ИВК-1024")
    client.force_login(accountant)

    client.post(url(tenant, "cabinet:contract_remove", contract))

    contract.refresh_from_db()
    assert contract.organization is None
