"""One contract's pages in the cabinet: its data with connection points and meters, the signed
PDF, and the consumer information with the supply company's confirmation. Members of the
organization (owner or accountant) see them; anybody else gets 404."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from cabinet.models import ContractLink
from portal.urls_helpers import tenant_reverse
from tests.accounts.factories import UserFactory
from tests.cabinet.factories import linked_contract
from tests.meters.factories import MeterFactory, ServicePointFactory
from tests.portal.factories import TenantFactory

pytestmark = pytest.mark.django_db

CONTRACT_PAGES = [
    "cabinet:contract_detail",
    "cabinet:consumer_info",
    "cabinet:contract_document",
    "cabinet:contract_remove",
]


@pytest.fixture
def contract(tenant, organization, user):
    """The cast's contract with its data filled in and the link the staff confirmed."""
    contract = linked_contract(
        tenant,
        organization=organization,
        number="ИВК-1024",
        counterparty_name="Izhstal LLC",
        signed_on=datetime.date(2024, 3, 1),
        readings_deadline_day=8,
        hot_water_deadline_day=6,
        monthly_limit=Decimal("1200.000"),
        account__code="LEGAL-77",
    )
    ContractLink.objects.create(
        tenant=tenant,
        contract=contract,
        organization=organization,
        requested_by=user,
        status="active",
        decided_at=datetime.datetime(2026, 2, 3, 9, 0, tzinfo=datetime.UTC),
    )
    return contract


def url(tenant, name, contract):
    return tenant_reverse(tenant, name, kwargs={"contract_id": contract.pk})


def attach_pdf(contract):
    contract.document.save("signed.pdf", ContentFile(b"%PDF-1.4 the signed contract"), save=True)


def test_the_contract_page_shows_its_data_connection_points_and_meters(client, tenant, user, contract):
    point = ServicePointFactory(contract=contract, address="Pushkinskaya 5, Izhevsk")
    MeterFactory(account=contract.account, service_point=point, serial_number="CW-501")
    MeterFactory(account=contract.account, serial_number="CW-999")
    client.force_login(user)

    page = client.get(url(tenant, "cabinet:contract_detail", contract)).content.decode()

    for text in (
        "ИВК-1024",
        "Izhstal LLC",
        "1833001122",
        "Day 8 of each month",
        "Day 6 of each month",
        "1200.000",
        "In force",
        "Pushkinskaya 5, Izhevsk",
        "CW-501",
        "LEGAL-77",
    ):
        assert text in page
    unplaced = page[page.find("Meters not yet assigned to a connection point") :]
    assert "CW-999" in unplaced and "CW-501" not in unplaced
    assert "has not attached the signed contract yet" in page


def test_the_signed_contract_is_downloaded_as_an_attachment(client, tenant, user, contract):
    attach_pdf(contract)
    client.force_login(user)

    assert (
        url(tenant, "cabinet:contract_document", contract)
        in client.get(url(tenant, "cabinet:contract_detail", contract)).content.decode()
    )
    response = client.get(url(tenant, "cabinet:contract_document", contract))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 the signed contract"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_contract_without_a_document_has_nothing_to_download(client, tenant, user, contract):
    client.force_login(user)
    assert client.get(url(tenant, "cabinet:contract_document", contract)).status_code == 404


def test_consumer_information_shows_the_organization_and_the_confirmation(client, tenant, user, contract):
    user.phone = "+79121234567"
    user.save()
    client.force_login(user)

    page = client.get(url(tenant, "cabinet:consumer_info", contract)).content.decode()

    for text in (
        "Izhstal LLC",
        "1833001122",
        "Votkinskoye shosse 1, Izhevsk",
        "Sberbank",
        "049401601",
        "40702810968000001234",
        "LEGAL-77",
        contract.account.branch.name,
        user.email,
        "+79121234567",
    ):
        assert text in page
    assert "Data confirmed by Azersu: the tax number and the contract number matched its records on" in page


def test_consumer_information_names_the_staff_confirmation(client, tenant, user, contract):
    link = contract.links.get()
    link.decided_by = UserFactory(is_staff=True)
    link.save()
    client.force_login(user)

    page = client.get(url(tenant, "cabinet:consumer_info", contract)).content.decode()

    assert "Data confirmed by Azersu: the link of this contract to the organization was confirmed by its staff" in page


@pytest.mark.parametrize("name", CONTRACT_PAGES)
def test_an_accountant_of_the_organization_sees_the_contract_pages(name, client, tenant, accountant, contract):
    attach_pdf(contract)
    client.force_login(accountant)

    assert client.get(url(tenant, name, contract)).status_code == 200


@pytest.mark.parametrize("name", CONTRACT_PAGES)
def test_a_member_of_another_organization_gets_404(name, client, tenant, stranger, contract):
    attach_pdf(contract)
    client.force_login(stranger)

    assert client.get(url(tenant, name, contract)).status_code == 404
    assert client.post(url(tenant, name, contract)).status_code in (404, 405)
    contract.refresh_from_db()
    assert contract.organization is not None


def test_the_cabinet_is_not_offered_by_a_tenant_without_it(client, user, organization):
    plain = TenantFactory(slug="plain", workflows=["meter_readings"])
    client.force_login(user)

    assert client.get(tenant_reverse(plain, "cabinet:home")).status_code == 404
