"""Issue #8, item 1: a user holds an account only once he proves it — the access code printed on
its invoices ("Add an account"), or staff confirmation in the admin."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from billing import tasks
from billing.invoicing import form_invoice_for_application
from meters.models import SubscriberAccount
from meters.models.accounts import ACCESS_CODE_ALPHABET, ACCESS_CODE_LENGTH
from portal.models import Tenant
from portal.urls_helpers import tenant_reverse
from tests.accounts.factories import UserFactory
from tests.billing.conftest import book
from tests.billing.test_invoice_pdf import pdf_text
from tests.meters.factories import SubscriberAccountFactory
from tests.portal.factories import StaffMembershipFactory, login_verified_staff

pytestmark = pytest.mark.django_db

NEUTRAL = "No account matches this subscriber code and access code."


@pytest.fixture
def newcomer(client, user):
    """Someone who lives there but has not added the account yet."""
    client.force_login(user)
    return user


@pytest.fixture
def account(tenant, branch):
    return SubscriberAccountFactory(
        tenant=tenant, branch=branch, code="7700123", holder_name="Aysel Mammadova", address="Nizami street 5, Baku"
    )


def add(client, tenant, code, access_code, **extra):
    return client.post(
        tenant_reverse(tenant, "billing:add_account"), {"code": code, "access_code": access_code}, **extra
    )


def test_each_account_gets_its_own_typable_access_code(tenant, branch):
    codes = {SubscriberAccountFactory(tenant=tenant, branch=branch).access_code for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert len(code) == ACCESS_CODE_LENGTH and set(code) <= set(ACCESS_CODE_ALPHABET)
        assert not set(code) & set("0O1IL")


def test_the_page_is_linked_from_my_accounts_and_has_labelled_inputs(client, tenant, newcomer):
    page = client.get(tenant_reverse(tenant, "billing:my_accounts")).content.decode()
    assert tenant_reverse(tenant, "billing:add_account") in page
    form = client.get(tenant_reverse(tenant, "billing:add_account")).content.decode()
    assert '<label for="id_code">' in form and '<label for="id_access_code">' in form


def test_the_page_needs_a_login(client, tenant):
    response = client.get(tenant_reverse(tenant, "billing:add_account"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_right_access_code_adds_the_account(client, tenant, account, newcomer):
    typed = account.access_code_display.lower()  # as people type it: dashes, lower case
    response = add(client, tenant, f" {account.code} ", typed)
    assert response.status_code == 302
    assert response["Location"] == tenant_reverse(tenant, "billing:account_detail", kwargs={"code": account.code})
    assert account.users.filter(pk=newcomer.pk).exists()
    page = client.get(tenant_reverse(tenant, "billing:my_accounts")).content.decode()
    assert account.holder_name in page


@pytest.mark.parametrize("case", ["wrong access code", "unknown account", "inactive account", "other tenant"])
def test_every_failure_gives_the_same_neutral_error(client, tenant, other_tenant, branch, account, newcomer, case):
    code, access_code = account.code, account.access_code
    if case == "wrong access code":
        access_code = "34679ACDEF" if account.access_code != "34679ACDEF" else "34679ACDEG"
    elif case == "unknown account":
        code = "9999999"
    elif case == "inactive account":
        SubscriberAccount.objects.filter(pk=account.pk).update(is_active=False)
    else:
        foreign = SubscriberAccountFactory(tenant=other_tenant, code="5500001")
        code, access_code = foreign.code, foreign.access_code
    response = add(client, tenant, code, access_code)
    assert response.status_code == 200
    page = response.content.decode()
    assert NEUTRAL in page
    assert 'class="error-summary"' in page
    assert not newcomer.subscriber_accounts.exists()


def test_after_five_failures_even_the_right_code_is_refused(client, tenant, account, newcomer):
    for _ in range(5):
        assert NEUTRAL in add(client, tenant, "9999999", "34679ACDEF").content.decode()
    page = add(client, tenant, account.code, account.access_code).content.decode()
    assert "Too many attempts" in page
    assert not account.users.filter(pk=newcomer.pk).exists()


def test_the_limit_holds_per_address_across_users(client, tenant, account, newcomer):
    for index in range(5):
        client.force_login(UserFactory(email=f"attacker{index}@example.com"))
        add(client, tenant, "9999999", "34679ACDEF")
    client.force_login(newcomer)
    assert "Too many attempts" in add(client, tenant, account.code, account.access_code).content.decode()
    # From another address the holder is not held back by someone else's failures.
    response = add(client, tenant, account.code, account.access_code, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302


def test_the_access_code_is_printed_on_the_invoice(application, meter, water_tariffs, monkeypatch):
    monkeypatch.setattr(Tenant, "today", lambda tenant: datetime.date(2026, 10, 5))
    book(meter, "100", datetime.date(2026, 9, 1))
    reading = book(meter, "112.345", datetime.date(2026, 10, 1))
    invoice = form_invoice_for_application(application=application, booked_readings=[reading])
    tasks.render_invoice_pdf.apply(args=[invoice.pk])
    invoice.refresh_from_db()
    text = pdf_text(invoice.pdf)
    assert application.account.access_code_display in text.replace(" ", "")


@pytest.fixture
def staff_client(tenant):
    staff = StaffMembershipFactory(tenant=tenant).user
    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="meters"))
    return login_verified_staff(Client(), staff)


def test_staff_rotate_the_access_code_and_the_old_one_stops_working(client, staff_client, tenant, account, newcomer):
    old = account.access_code
    response = staff_client.post(
        reverse("admin:meters_subscriberaccount_changelist"),
        {"action": "rotate_access_code", "_selected_action": [account.pk]},
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.access_code != old
    entry = LogEntry.objects.get(object_id=str(account.pk))
    assert "access code" in entry.get_change_message()
    assert NEUTRAL in add(client, tenant, account.code, old).content.decode()
    assert add(client, tenant, account.code, account.access_code).status_code == 302


def change_form_data(account, **extra):
    return {
        "code": account.code,
        "holder_name": account.holder_name,
        "address": account.address,
        "branch": account.branch_id,
        "category": account.category,
        "organization": "",
        "is_active": "on",
        "meters-TOTAL_FORMS": "0",
        "meters-INITIAL_FORMS": "0",
        "meters-MIN_NUM_FORMS": "0",
        "meters-MAX_NUM_FORMS": "1000",
        **extra,
    }


def test_staff_confirm_a_holder_explicitly_and_the_history_names_him(staff_client, account, newcomer):
    url = reverse("admin:meters_subscriberaccount_change", args=[account.pk])
    response = staff_client.post(url, change_form_data(account, confirm_holder=newcomer.email.upper()))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert account.users.filter(pk=newcomer.pk).exists()
    message = LogEntry.objects.get(object_id=str(account.pk)).get_change_message()
    assert "holder" in message and newcomer.email in message
    assert "Confirm a holder" not in message  # said by name, not as "changed a field"


def test_staff_remove_a_holder_and_the_history_says_so(staff_client, account, newcomer):
    account.users.add(newcomer)
    url = reverse("admin:meters_subscriberaccount_change", args=[account.pk])
    response = staff_client.post(url, change_form_data(account, remove_holders=[newcomer.pk]))
    assert response.status_code == 302
    assert not account.users.exists()
    assert "Deleted holder" in LogEntry.objects.get(object_id=str(account.pk)).get_change_message()


def test_confirming_an_unknown_e_mail_is_a_form_error(staff_client, account):
    url = reverse("admin:meters_subscriberaccount_change", args=[account.pk])
    response = staff_client.post(url, change_form_data(account, confirm_holder="nobody@example.com"))
    assert response.status_code == 200
    assert "No active portal user has this e-mail." in response.content.decode()
    assert not account.users.exists()
