"""The requests list: every W4 kind of the organization's requests about the contract, each with
the supply company's confirmation, in a number of queries that does not grow with the list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cabinet.services.requests import submit_claim
from tests.cabinet.requests_support import key, make_cabinet
from tests.meters.factories import ContractFactory

pytestmark = pytest.mark.django_db


def claim(contract, user, subject="Question"):
    return submit_claim(
        contract=contract, applicant=user, subject=subject, text="Text", idempotency_key=key(), language="en"
    )


def queries_of(client, url):
    # Warmed up: the first request after a login stamps the session's activity (once a minute).
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_costs_the_same_queries_for_one_and_for_ten_requests(client):
    cab = make_cabinet()
    client.force_login(cab.owner)
    claim(cab.contract, cab.owner)
    one = queries_of(client, cab.url("list"))
    for _i in range(9):
        claim(cab.contract, cab.owner)
    assert queries_of(client, cab.url("list")) == one


def test_requests_about_another_contract_of_the_organization_are_not_listed(client):
    cab = make_cabinet()
    second = ContractFactory(tenant=cab.tenant, organization=cab.organization, number="UE-78")
    mine = claim(cab.contract, cab.owner)
    other = claim(second, cab.owner)
    client.force_login(cab.accountant)

    text = client.get(cab.url("list")).content.decode()

    assert mine.number in text
    assert other.number not in text
    assert "Awaiting confirmation by Uzbekenergo" in text
