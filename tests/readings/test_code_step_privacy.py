"""Issue #8, item 2, as the attack: typing subscriber codes one after another must not list who
lives where. Distinct codes the user does not hold are throttled per user and per address, then
refused without a lookup; a non-holder sees the holder masked."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meters.holders import mask_address, mask_name
from portal.urls_helpers import tenant_reverse
from readings.models import SubscriberCodeLookup
from tests.accounts.factories import UserFactory
from tests.meters.factories import account_with_history

pytestmark = pytest.mark.django_db

REFUSED = "Too many attempts"
UNKNOWN = "There is no subscriber with this code"


@pytest.fixture
def account(tenant, branch):
    account = account_with_history(tenant, branch)
    account.holder_name = "Aysel Məmmədova"
    account.address = "Bakı, Nəsimi r., Füzuli küç. 45, m. 12"
    account.save()
    return account


@pytest.fixture
def visitor(client, user):
    user.preferred_language = "en"
    user.save()
    client.force_login(user)
    return user


def look_up(client, tenant, code, **extra):
    return client.post(tenant_reverse(tenant, "readings:submit_readings"), {"code": code}, **extra)


def form_page(client, tenant):
    return client.get(tenant_reverse(tenant, "readings:submit_readings_form")).content.decode()


def test_after_five_unknown_codes_even_a_real_code_is_refused_without_a_lookup(client, tenant, account, visitor):
    for code in ["1000001", "1000002", "1000003", "1000004", "1000005"]:
        assert UNKNOWN in look_up(client, tenant, code).content.decode()
    with CaptureQueriesContext(connection) as queries:
        response = look_up(client, tenant, account.code)
    assert not [query for query in queries if account.code in query["sql"] and "INSERT" not in query["sql"]]
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert account.holder_name not in response.content.decode()
    assert SubscriberCodeLookup.objects.filter(outcome=SubscriberCodeLookup.Outcome.REFUSED).count() == 1


def test_the_same_wrong_code_typed_again_counts_once(client, tenant, account, visitor):
    for _ in range(8):
        look_up(client, tenant, "1000001")
    assert look_up(client, tenant, account.code).status_code == 302


def test_other_peoples_accounts_count_too(client, tenant, branch, visitor):
    codes = [account_with_history(tenant, branch, code=f"20000{n}", readings=1).code for n in range(6)]
    for code in codes[:5]:
        assert look_up(client, tenant, code).status_code == 302
    assert REFUSED in look_up(client, tenant, codes[5]).content.decode()
    # A code looked up earlier in the window tells nothing new: it still opens.
    assert look_up(client, tenant, codes[0]).status_code == 302
    logged = SubscriberCodeLookup.objects.filter(outcome=SubscriberCodeLookup.Outcome.NOT_HELD)
    assert sorted(logged.values_list("code", flat=True)) == sorted(codes[:5])


def test_his_own_accounts_neither_count_nor_are_refused(client, tenant, account, visitor):
    account.users.add(visitor)
    for code in ["1000001", "1000002", "1000003", "1000004", "1000005"]:
        look_up(client, tenant, code)
    for _ in range(3):
        assert look_up(client, tenant, account.code).status_code == 302
    assert not SubscriberCodeLookup.objects.filter(code=account.code).exists()


def test_the_limit_holds_per_address_across_users(client, tenant, account, visitor):
    for index in range(5):
        client.force_login(UserFactory(email=f"enumerator{index}@example.com"))
        look_up(client, tenant, f"100000{index}")
    client.force_login(visitor)
    assert REFUSED in look_up(client, tenant, account.code).content.decode()
    assert look_up(client, tenant, account.code, REMOTE_ADDR="198.51.100.9").status_code == 302


def test_unknown_codes_are_logged_for_staff(client, tenant, account, visitor):
    look_up(client, tenant, "1000001")
    lookup = SubscriberCodeLookup.objects.get()
    assert (lookup.tenant, lookup.user, lookup.code, lookup.outcome, lookup.client_ip) == (
        tenant,
        visitor,
        "1000001",
        SubscriberCodeLookup.Outcome.UNKNOWN,
        "127.0.0.1",
    )


def test_a_non_holder_sees_initials_and_the_address_without_the_flat(client, tenant, account, visitor):
    assert look_up(client, tenant, account.code).status_code == 302
    page = form_page(client, tenant)
    assert "A. M." in page
    assert "Bakı, Nəsimi r., Füzuli küç. 45" in page
    assert "Məmmədova" not in page
    assert "m. 12" not in page


def test_a_holder_sees_the_holder_in_full(client, tenant, account, visitor):
    account.users.add(visitor)
    look_up(client, tenant, account.code)
    page = form_page(client, tenant)
    assert account.holder_name in page and account.address in page


def test_the_tenant_setting_shows_the_holder_in_full_to_everyone(client, tenant, account, visitor):
    tenant.show_holder_details = True
    tenant.save()
    look_up(client, tenant, account.code)
    page = form_page(client, tenant)
    assert account.holder_name in page and account.address in page


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("Bakı, Nəsimi r., Füzuli küç. 45, m. 12", "Bakı, Nəsimi r., Füzuli küç. 45"),
        ("Ижевск, ул. Пушкинская, д. 5, кв. 17", "Ижевск, ул. Пушкинская, д. 5"),
        ("Toshkent, Chilonzor 9, kv. 3", "Toshkent, Chilonzor 9"),
        ("Nizami street 5, flat 2, Baku", "Nizami street 5, Baku"),
        ("Nizami street 5, Baku", "Nizami street 5, Baku"),
    ],
)
def test_address_masking_drops_only_the_flat(address, masked):
    assert mask_address(address) == masked


def test_name_masking_keeps_initials():
    assert mask_name("Aysel Məmmədova") == "A. M."
    assert mask_name("Əliyev Rəşad Həsən oğlu") == "Ə. R. H. o."
