"""The account e-mails anybody can make the portal send, tried as an attacker would: a flood to one
inbox, a relay of "pay at http://…" to any address, and the answer's cost as an oracle of which
addresses have accounts."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Organization, OrganizationInvitation
from portal.models import Notification
from portal.ratelimit import POLICIES
from tests.accounts.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

FLOOD = 30
REGISTRATION = {
    "full_name": "Leyla Hasanova",
    "phone": "",
    "preferred_language": "en",
    "password1": "a-long-water-meter-pass",
    "password2": "a-long-water-meter-pass",
}
COMPANY = {"tax_number": "1400123456", "name": "Izhstal LLC", "legal_address": "Izhevsk, Lenina 1"}


def messages_to(address, template):
    return Notification.objects.filter(recipient=address, template=template).count()


def reset(client, email, ip="203.0.113.7"):
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=ip)


def register(client, email, ip="203.0.113.7", **fields):
    return client.post(reverse("accounts:register"), {**REGISTRATION, "email": email, **fields}, REMOTE_ADDR=ip)


# -- flood ----------------------------------------------------------------------------------------


def test_thirty_resets_for_one_address_send_three_messages_and_the_same_page(
    client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answers = {reset(client, user.email, ip=f"198.51.100.{index}")["Location"] for index in range(FLOOD)}

    assert answers == {reverse("accounts:password_reset_done")}
    assert messages_to(user.email, "account_password_reset") == POLICIES["password_reset_mail"].limit


def test_one_sender_cannot_send_resets_to_many_addresses(client, django_capture_on_commit_callbacks):
    victims = [UserFactory(email=f"victim{index}@example.com") for index in range(FLOOD)]
    with django_capture_on_commit_callbacks(execute=True):
        for victim in victims:
            assert reset(client, victim.email).status_code == 302

    sent = Notification.objects.filter(template="account_password_reset").count()
    assert sent == POLICIES["password_reset_mail"].limit_of(("ip",))


def test_thirty_registrations_of_a_taken_address_send_three_messages_and_the_same_page(client, user):
    answers = {register(client, user.email, ip=f"198.51.100.{index}")["Location"] for index in range(FLOOD)}

    assert answers == {reverse("accounts:register_done")}
    assert messages_to(user.email, "account_already_registered") == POLICIES["registration_mail"].limit


def test_one_sender_cannot_register_many_addresses_to_mail_them(client):
    for index in range(FLOOD):
        assert register(client, f"victim{index}@example.com").status_code == 302

    sent = Notification.objects.filter(template="account_confirm_email").count()
    assert sent == POLICIES["registration_mail"].limit_of(("ip",))


def test_resending_the_confirmation_counts_with_the_registration(client):
    register(client, "late@example.com")
    for index in range(FLOOD):
        client.post(
            reverse("accounts:resend_confirmation"), {"email": "late@example.com"}, REMOTE_ADDR=f"10.1.0.{index}"
        )

    assert messages_to("late@example.com", "account_confirm_email") <= POLICIES["registration_mail"].limit


def invite(client, organization, email):
    return client.post(
        reverse("accounts:organization_invite", args=[organization.pk]), {"email": email, "role": "accountant"}
    )


def test_invitations_to_one_address_stop_at_the_limit_and_the_owner_sees_them_sent(client, user):
    organization = MembershipFactory(user=user).organization
    client.force_login(user)

    for _ in range(POLICIES["invitation_sender"].limit):  # all the owner may send in the hour
        assert invite(client, organization, "victim@example.com").status_code == 302

    assert messages_to("victim@example.com", "account_organization_invitation") == POLICIES["invitation_mail"].limit
    assert OrganizationInvitation.objects.filter(email="victim@example.com").count() == 1  # the latest, pending


def test_invitations_from_many_organizations_to_one_address_share_its_limit(client):
    for index in range(FLOOD):
        owner = UserFactory(email=f"owner{index}@example.com")
        client.force_login(owner)
        invite(client, MembershipFactory(user=owner).organization, "victim@example.com")

    assert messages_to("victim@example.com", "account_organization_invitation") == POLICIES["invitation_mail"].limit


def test_an_owner_sending_too_many_invitations_is_told_to_wait(client, user):
    organization = MembershipFactory(user=user).organization
    client.force_login(user)
    limit = POLICIES["invitation_sender"].limit
    for index in range(limit):
        assert invite(client, organization, f"colleague{index}@example.com").status_code == 302

    refused = invite(client, organization, "one-more@example.com")

    assert refused.status_code == 200
    assert "Too many attempts. Try again in 60 minutes." in refused.text
    assert not OrganizationInvitation.objects.filter(email="one-more@example.com").exists()


# -- relay ----------------------------------------------------------------------------------------

LINKS = [
    "Pay at http://pay.example",
    "Leyla www.pay-here.az",
    "Leyla pay@scam.example",
    "Visit t.me/payhere",
    "Leyla Hasanova (invoice-pay.com)",
]


@pytest.mark.parametrize("name", LINKS)
def test_a_full_name_with_a_link_is_refused_at_registration(client, name):
    response = register(client, "victim@example.com", full_name=name)

    assert response.status_code == 200
    assert "Names cannot contain web addresses, e-mail addresses or domain names" in response.text
    assert not Notification.objects.exists()


@pytest.mark.parametrize("name", ["Karimov A.Sh.", "И.И. Иванов", "Nazarov O'g'li", "J.R.R. Tolkien", "Co. Ltd"])
def test_names_with_initials_are_accepted(client, name):
    assert register(client, "leyla@example.com", full_name=name).status_code == 302


def test_the_profile_refuses_a_name_with_a_link(client, user):
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"), {"full_name": "Pay at www.pay.example", "phone": "", "preferred_language": "en"}
    )

    assert "Names cannot contain web addresses" in response.text
    user.refresh_from_db()
    assert "www" not in user.full_name


@pytest.mark.parametrize("name", LINKS)
def test_an_organization_name_with_a_link_is_refused(client, user, name):
    client.force_login(user)
    response = client.post(reverse("accounts:organization_create"), {**COMPANY, "name": name})

    assert "Names cannot contain web addresses" in response.text
    assert not Organization.objects.exists()


def test_the_invitation_subject_does_not_carry_the_organizations_name(client, user):
    organization = MembershipFactory(user=user, organization__name="Izhstal LLC").organization
    client.force_login(user)
    invite(client, organization, "colleague@example.com")

    notification = Notification.objects.get(template="account_organization_invitation")
    assert "Izhstal" not in notification.subject
    assert notification.subject.startswith("Invitation to an organization on the Abonent portal")


# -- timing ---------------------------------------------------------------------------------------


class CountingHasher(MD5PasswordHasher):
    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.test_mail_abuse.CountingHasher"]
    CountingHasher.calls = 0
    return CountingHasher


def test_registering_a_taken_address_hashes_the_password_as_a_new_one_does(client, counting_hasher):
    UserFactory(email="taken@example.com")
    counting_hasher.calls = 0

    register(client, "new@example.com")
    new = counting_hasher.calls
    register(client, "taken@example.com")
    taken = counting_hasher.calls - new

    assert new == taken == 1


def test_a_reset_does_the_same_work_in_the_request_for_a_known_and_an_unknown_address(client, user, counting_hasher):
    work = {}
    client.get(reverse("accounts:password_reset"))  # loads the per-process tenant snapshot before counting
    for email in (user.email, "nobody@example.com"):
        with CaptureQueriesContext(connection) as queries:
            response = reset(client, email)
        work[email] = (response.status_code, len(queries), counting_hasher.calls)

    assert work[user.email] == work["nobody@example.com"]
    # The lookup and the message are the task's, after the response.
    assert not Notification.objects.exists()
