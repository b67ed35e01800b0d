import pytest
from django.core import mail
from django.urls import reverse

from portal.models import Notification
from tests.accounts.factories import PASSWORD, UserFactory, first_link

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-long-secret"


def test_forgotten_password_is_reset_through_the_emailed_link(client, tenant, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/azersu/accounts/password/reset/", {"email": "CITIZEN@example.com"})
    assert response["Location"] == "/azersu/accounts/password/reset/done/"

    notification = Notification.objects.get(template="account_password_reset")
    assert notification.recipient == user.email
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    link = first_link(notification.body)
    assert link.startswith("http://testserver/azersu/accounts/password/reset/")

    form_page = client.get(link, follow=True)
    assert "Set a new password" in form_page.text
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == "/azersu/accounts/password/reset/complete/"

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The link works once.
    assert "This link is invalid" in client.get(link, follow=True).text


def test_an_unknown_address_gets_the_same_answer_and_no_message(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert not Notification.objects.exists()


def test_a_reset_link_also_confirms_the_address(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="late@example.com", email_confirmed=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": user.email})
    link = first_link(Notification.objects.get().body)
    set_password_url = client.get(link)["Location"]

    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    user.refresh_from_db()
    assert user.email_confirmed


def test_a_logged_in_user_changes_his_password(client, user):
    client.force_login(user)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response["Location"] == reverse("accounts:password_change_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The session stays valid after the change.
    assert client.get(reverse("accounts:profile")).status_code == 200
