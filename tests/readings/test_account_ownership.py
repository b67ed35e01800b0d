"""Issue #8, item 1, as the attack: a stranger types someone else's subscriber code, submits a
plausible reading, staff accept it, and he still sees nothing of the account."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from applications.models import Application
from billing import tasks
from billing.models import Invoice
from portal.models import Notification
from portal.urls_helpers import tenant_reverse
from readings.services import accept_readings
from tests.accounts.factories import UserFactory
from tests.billing.factories import TariffBlockFactory, TariffFactory
from tests.meters.factories import account_with_history
from tests.portal.factories import StaffMembershipFactory, login_verified_staff
from tests.readings.helpers import form_data, jpeg_upload, line_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(tenant, branch, user):
    account = account_with_history(tenant, branch)
    account.users.add(user)  # the real holder
    TariffBlockFactory(tariff=TariffFactory(tenant=tenant))
    return account


@pytest.fixture
def stranger(client, tenant):
    stranger = UserFactory(email="stranger@example.com", full_name="Some Stranger", preferred_language="en")
    client.force_login(stranger)
    return stranger


@pytest.fixture
def accepted_invoice(client, tenant, account, stranger):
    """The stranger's readings for the holder's code, accepted by staff; the invoice rendered."""
    assert client.post(tenant_reverse(tenant, "readings:submit_readings"), {"code": account.code}).status_code == 302
    data = form_data(line_data(value="212"))
    data["contact_email"] = "stranger@example.com"
    data["lines-0-photo"] = jpeg_upload()
    response = client.post(tenant_reverse(tenant, "readings:submit_readings_form"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.get(applicant=stranger)
    accept_readings(application=application, actor=StaffMembershipFactory(tenant=tenant).user)
    invoice = Invoice.objects.get(application=application)
    tasks.render_invoice_pdf.apply(args=[invoice.pk])
    invoice.refresh_from_db()
    yield invoice
    invoice.pdf.delete(save=False)


def test_accepted_readings_do_not_make_the_stranger_a_holder(accepted_invoice, account, stranger):
    assert not account.users.filter(pk=stranger.pk).exists()


def test_the_strangers_account_page_and_invoice_stay_404(client, tenant, account, accepted_invoice):
    assert (
        client.get(tenant_reverse(tenant, "billing:account_detail", kwargs={"code": account.code})).status_code == 404
    )
    assert (
        client.get(
            tenant_reverse(tenant, "billing:invoice_pdf", kwargs={"number": accepted_invoice.number})
        ).status_code
        == 404
    )


def test_my_accounts_does_not_list_the_account(client, tenant, account, accepted_invoice):
    page = client.get(tenant_reverse(tenant, "billing:my_accounts")).content.decode()
    assert account.code not in page
    assert account.holder_name not in page
    assert tenant_reverse(tenant, "billing:add_account") in page


def test_his_application_page_offers_no_invoice_download(client, tenant, accepted_invoice):
    page = client.get(
        tenant_reverse(tenant, "applications:detail", kwargs={"number": accepted_invoice.application.number})
    ).content.decode()
    assert tenant_reverse(tenant, "billing:invoice_pdf", kwargs={"number": accepted_invoice.number}) not in page
    assert "The invoice is available to the account" in page


def test_the_invoice_with_the_access_code_is_not_mailed_to_him(accepted_invoice, account):
    mailed = Notification.objects.filter(recipient="stranger@example.com")
    assert not mailed.filter(template="invoice_ready").exists()
    assert all(not notification.attachments for notification in mailed)
    # He is told the application was executed, without the invoice.
    assert mailed.filter(template="application_status_changed").exists()


def test_the_holder_still_sees_the_account_and_downloads_the_invoice(tenant, account, accepted_invoice, user):
    holder = Client()
    holder.force_login(user)
    assert (
        holder.get(tenant_reverse(tenant, "billing:account_detail", kwargs={"code": account.code})).status_code == 200
    )
    response = holder.get(tenant_reverse(tenant, "billing:invoice_pdf", kwargs={"number": accepted_invoice.number}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


@pytest.fixture
def reviewer_client(tenant):
    reviewer = StaffMembershipFactory(tenant=tenant, user=UserFactory(is_staff=True, preferred_language="en")).user
    reviewer.user_permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["meters", "applications", "readings"])
    )
    return login_verified_staff(Client(), reviewer)


def review_page(reviewer_client, application):
    return reviewer_client.get(reverse("admin:readings_readingsapplication_change", args=[application.pk]))


def test_the_review_page_tells_the_reviewer_the_applicant_does_not_hold_the_account(
    client, tenant, account, stranger, reviewer_client
):
    assert client.post(tenant_reverse(tenant, "readings:submit_readings"), {"code": account.code}).status_code == 302
    client.post(tenant_reverse(tenant, "readings:submit_readings_form"), form_data(line_data(value="212")))
    application = Application.objects.get(applicant=stranger)
    page = review_page(reviewer_client, application).content.decode()
    assert "the applicant does not hold this account" in page

    account.users.add(stranger)
    page = review_page(reviewer_client, application).content.decode()
    assert "Yes: the applicant holds this account." in page


def test_the_review_list_marks_applicants_who_are_not_holders(client, tenant, account, stranger, reviewer_client):
    client.post(tenant_reverse(tenant, "readings:submit_readings"), {"code": account.code})
    client.post(tenant_reverse(tenant, "readings:submit_readings_form"), form_data(line_data(value="212")))
    page = reviewer_client.get(reverse("admin:readings_readingsapplication_changelist")).content.decode()
    assert "Applicant holds the account" in page
    assert 'alt="False"' in page
