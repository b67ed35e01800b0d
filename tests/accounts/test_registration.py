from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.tokens import email_confirmation_token
from portal.models import Notification
from tests.accounts.factories import PASSWORD, UserFactory, first_link

pytestmark = pytest.mark.django_db

FORM = {
    "full_name": "Leyla Hasanova",
    "email": "Leyla@Example.com",
    "phone": "+994 50 123 45 67",
    "preferred_language": "ru",
    "password1": "a-long-water-meter-pass",
    "password2": "a-long-water-meter-pass",
}


def test_registration_creates_an_unconfirmed_user_and_queues_the_confirmation_email(client, tenant):
    response = client.post("/azersu/accounts/register/", {**FORM, "phone": "050 123 45 67"})

    assert response.status_code == 302
    assert response["Location"] == "/azersu/accounts/register/done/"
    user = User.objects.get(email="leyla@example.com")
    assert not user.email_confirmed
    assert user.phone == "+994501234567"  # read as an Azerbaijani number: the tenant's country
    assert user.preferred_language == "ru"
    assert user.check_password(FORM["password1"])
    notification = Notification.objects.get()
    assert notification.template == "account_confirm_email"
    assert notification.recipient == "leyla@example.com"
    assert notification.language == "ru"
    assert notification.tenant == tenant
    assert first_link(notification.body).startswith("http://testserver/azersu/accounts/confirm/")
    assert "leyla@example.com" in client.get(response["Location"]).text


def test_the_confirmation_email_is_sent_through_the_outbox_after_commit(
    client, tenant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/azersu/accounts/register/", FORM)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["leyla@example.com"]
    assert "/azersu/accounts/confirm/" in mail.outbox[0].body
    assert Notification.objects.get().status == Notification.Status.SENT


def test_registration_form_shows_password_and_phone_errors(client):
    data = {**FORM, "phone": "12", "password1": "short", "password2": "short"}
    response = client.post(reverse("accounts:register"), data)

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "This password is too short" in response.text
    assert "Enter a valid phone number" in response.text
    assert not User.objects.exists()
    mismatch = client.post(reverse("accounts:register"), {**FORM, "password2": "something-else-entirely"})
    assert "The two passwords do not match." in mismatch.text


def test_registering_a_taken_address_does_not_reveal_it_and_tells_the_owner_by_email(client):
    UserFactory(email="leyla@example.com", full_name="Leyla Hasanova")

    response = client.post(reverse("accounts:register"), FORM)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:register_done")
    assert User.objects.count() == 1
    notification = Notification.objects.get()
    assert notification.template == "account_already_registered"
    assert notification.recipient == "leyla@example.com"


def confirmation_link(client):
    client.post(reverse("accounts:register"), FORM)
    return first_link(Notification.objects.get(template="account_confirm_email").body)


def test_the_confirmation_link_confirms_the_address_once(client):
    link = confirmation_link(client)

    response = client.get(link, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert "Your e-mail address is confirmed" in response.text
    assert User.objects.get().email_confirmed

    again = client.get(link)
    assert again.status_code == 400
    assert "This confirmation link is invalid" in again.text


def test_a_tampered_confirmation_link_is_refused(client):
    link = confirmation_link(client)

    response = client.get(link.rstrip("/")[:-3] + "abc/")

    assert response.status_code == 400
    assert not User.objects.get().email_confirmed


def test_a_confirmation_link_older_than_three_days_is_refused(client, monkeypatch):
    link = confirmation_link(client)
    made_at = email_confirmation_token._now()
    monkeypatch.setattr(type(email_confirmation_token), "_now", lambda self: made_at + timedelta(days=3, seconds=1))

    assert client.get(link).status_code == 400
    assert not User.objects.get().email_confirmed


def test_unconfirmed_users_are_refused_at_login_and_offered_a_new_link(client):
    client.post(reverse("accounts:register"), FORM)

    response = client.post(reverse("accounts:login"), {"email": "leyla@example.com", "password": FORM["password1"]})

    assert response.status_code == 200
    assert "Your e-mail address is not confirmed yet" in response.text
    assert reverse("accounts:resend_confirmation") + "?email=leyla%40example.com" in response.text
    assert "_auth_user_id" not in client.session


def test_resending_the_confirmation_queues_a_new_link_but_says_nothing_about_unknown_addresses(client):
    user = UserFactory(email="new@example.com", email_confirmed=False)
    UserFactory(email="done@example.com")

    for email in ("new@example.com", "done@example.com", "nobody@example.com"):
        response = client.post(reverse("accounts:resend_confirmation"), {"email": email})
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:register_done")

    notification = Notification.objects.get()
    assert notification.recipient == user.email
    assert notification.template == "account_confirm_email"
    # Pressing "resend" again at once does not flood the mailbox.
    client.post(reverse("accounts:resend_confirmation"), {"email": "new@example.com"})
    assert Notification.objects.count() == 1


def test_a_confirmed_user_can_log_in_after_following_the_link(client):
    link = confirmation_link(client)
    client.get(link)

    response = client.post(reverse("accounts:login"), {"email": "leyla@example.com", "password": FORM["password1"]})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get().pk)


def test_factory_password_is_the_shared_one():
    assert UserFactory().check_password(PASSWORD)
