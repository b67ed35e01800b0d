"""Change of bank requisites: the organization's bank details stay as they are until the supply
company's staff confirm the request; only owners may ask."""

import pytest

from applications.models import Application, Status
from tests.cabinet.requests_support import admin_action, key, make_cabinet, make_reviewer, pdf_upload, png_upload

pytestmark = pytest.mark.django_db

NEW = {"bank_name": "Kapitalbank", "bank_code": "01158", "bank_account": "2020 8000 9051 2345 6001"}


@pytest.fixture
def cab():
    return make_cabinet()


def post_requisites(client, cab, **overrides):
    return client.post(cab.url("requisites_change"), {"idempotency_key": key(), **NEW, **overrides})


def bank_details(organization):
    organization.refresh_from_db()
    return organization.bank_name, organization.bank_code, organization.bank_account


def test_requisites_change_is_not_applied_before_confirmation(client, cab):
    client.force_login(cab.owner)
    response = post_requisites(client, cab)

    application = Application.objects.get(kind__code="requisites_change")
    assert response.status_code == 302
    assert bank_details(cab.organization) == ("Old Bank", "00001", "")
    assert application.requisites_change.applied_at is None
    assert application.requisites_change.bank_account == "20208000905123456001"
    page = client.get(cab.url("detail", number=application.number)).content.decode()
    assert "the current requisites stay in force" in page
    assert "Awaiting confirmation by Uzbekenergo" in page


def test_requisites_are_copied_onto_the_organization_when_staff_confirm(client, cab):
    client.force_login(cab.owner)
    post_requisites(client, cab)
    application = Application.objects.get()

    make_reviewer(client, cab.tenant)
    admin_action(client, "confirm_and_apply", [application])

    assert bank_details(cab.organization) == ("Kapitalbank", "01158", "20208000905123456001")
    application.refresh_from_db()
    assert application.status == Status.EXECUTED
    assert application.requisites_change.applied_at is not None


def test_rejected_requisites_never_reach_the_organization(client, cab):
    client.force_login(cab.owner)
    post_requisites(client, cab)
    application = Application.objects.get()

    make_reviewer(client, cab.tenant)
    admin_action(client, "reject", [application], apply="1", reason="The letter is not signed.")
    admin_action(client, "confirm_and_apply", [application])

    assert bank_details(cab.organization) == ("Old Bank", "00001", "")


def test_an_accountant_is_told_only_owners_may_ask_and_cannot_post(client, cab):
    client.force_login(cab.accountant)
    page = client.get(cab.url("requisites_change"))
    assert "Only an owner of the organization can ask to change its bank requisites." in page.content.decode()
    assert 'name="bank_account"' not in page.content.decode()

    assert post_requisites(client, cab).status_code == 403
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("bank_code", "12AB", "Enter the bank code as 5 to 9 digits"),
        ("bank_account", "12345", "Enter the settlement account as 20 digits or as an IBAN"),
    ],
)
def test_malformed_bank_details_are_explained_at_the_field(client, cab, field, value, message):
    client.force_login(cab.owner)
    page = post_requisites(client, cab, **{field: value})
    assert page.status_code == 200
    assert message in page.content.decode()
    assert not Application.objects.exists()


def test_the_supporting_letter_is_kept_as_a_downloadable_attachment(client, cab):
    client.force_login(cab.owner)
    post_requisites(client, cab, letter=pdf_upload("requisites letter.pdf"))
    application = Application.objects.get()
    attachment = application.attachments.get()
    assert attachment.original_name == "requisites letter.pdf"

    download = client.get(cab.url("attachment", pk=attachment.pk))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_letter_that_is_not_a_pdf_is_refused(client, cab):
    client.force_login(cab.owner)
    page = post_requisites(client, cab, letter=png_upload())
    assert "Attach the letter as a PDF." in page.content.decode()
    assert not Application.objects.exists()
