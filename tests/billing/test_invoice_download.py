"""Invoice download: the applicant, the account's users and organisation, and staff of the tenant
verified with two factors and allowed for the account's branch; 404 for anyone else."""

import datetime

import pytest

from accounts.models import Organization, OrganizationMembership
from billing import tasks
from billing.invoicing import form_invoice_for_application
from tests.accounts.factories import UserFactory
from tests.billing.conftest import book
from tests.portal.factories import BranchFactory, StaffMembershipFactory, login_verified_staff


@pytest.fixture
def invoice(application, meter, water_tariffs, freeze_today):
    freeze_today(datetime.date(2026, 10, 5))
    book(meter, "100", datetime.date(2026, 9, 1))
    reading = book(meter, "110", datetime.date(2026, 10, 1))
    return form_invoice_for_application(application=application, booked_readings=[reading])


@pytest.fixture
def rendered(invoice):
    tasks.render_invoice_pdf.apply(args=[invoice.pk])
    invoice.refresh_from_db()
    return invoice


def url(invoice, slug="azersu"):
    return f"/{slug}/my/invoices/{invoice.number}/"


def test_the_applicant_downloads_the_pdf_as_an_attachment(client, user, rendered):
    client.force_login(user)

    response = client.get(url(rendered))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{rendered.number}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_member_of_the_accounts_organization_downloads_it(client, rendered):
    member = UserFactory()
    organization = Organization.objects.create(tax_number="1700123456", name="Baku Bakery", legal_address="Baku")
    OrganizationMembership.objects.create(organization=organization, user=member)
    rendered.account.organization = organization
    rendered.account.save()
    client.force_login(member)

    assert client.get(url(rendered)).status_code == 200


def test_verified_staff_of_the_tenant_download_it(client, tenant, rendered):
    login_verified_staff(client, StaffMembershipFactory(tenant=tenant).user)

    assert client.get(url(rendered)).status_code == 200


def test_verified_staff_of_the_accounts_branch_download_it(client, tenant, rendered):
    membership = StaffMembershipFactory(tenant=tenant)
    membership.branches.set([rendered.account.branch])
    login_verified_staff(client, membership.user)

    assert client.get(url(rendered)).status_code == 200


def test_a_reviewer_of_another_branch_gets_404(client, tenant, rendered):
    membership = StaffMembershipFactory(tenant=tenant)
    membership.branches.set([BranchFactory(tenant=tenant)])
    login_verified_staff(client, membership.user)

    assert client.get(url(rendered)).status_code == 404


def test_staff_logged_in_with_a_password_only_get_404(client, tenant, rendered):
    client.force_login(StaffMembershipFactory(tenant=tenant).user)

    assert client.get(url(rendered)).status_code == 404


def test_an_unverified_superuser_gets_404(client, rendered):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get(url(rendered)).status_code == 404


def test_a_verified_member_of_the_tenant_who_is_not_staff_gets_404(client, tenant, rendered):
    """A StaffMembership left on a user whose is_staff was taken away grants nothing."""
    membership = StaffMembershipFactory(tenant=tenant)
    membership.user.is_staff = False
    membership.user.save()
    login_verified_staff(client, membership.user)

    assert client.get(url(rendered)).status_code == 404


def test_a_stranger_does_not_learn_that_an_unrendered_invoice_exists(client, other_user, invoice):
    client.force_login(other_user)

    assert client.get(url(invoice)).status_code == 404


def test_another_user_gets_404(client, other_user, rendered):
    client.force_login(other_user)

    assert client.get(url(rendered)).status_code == 404


def test_staff_of_another_tenant_get_404(client, other_tenant, rendered):
    login_verified_staff(client, StaffMembershipFactory(tenant=other_tenant).user)

    assert client.get(url(rendered)).status_code == 404


def test_the_owner_gets_404_under_another_tenants_address(client, user, other_tenant, rendered):
    client.force_login(user)

    assert client.get(url(rendered, slug=other_tenant.slug)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, rendered):
    response = client.get(url(rendered))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_invoice_not_rendered_yet_is_rendered_on_the_first_download(client, user, invoice):
    client.force_login(user)

    response = client.get(url(invoice))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    invoice.refresh_from_db()
    assert invoice.pdf


def test_an_invoice_that_cannot_be_rendered_now_shows_a_being_prepared_page(client, user, invoice, monkeypatch):
    from billing import pdf_batch

    def broken(*args):
        raise OSError("fonts missing")

    monkeypatch.setattr(pdf_batch.InvoiceRenderer, "render", broken)
    client.force_login(user)

    response = client.get(url(invoice))

    assert response.status_code == 200
    assert "being prepared" in response.content.decode()
