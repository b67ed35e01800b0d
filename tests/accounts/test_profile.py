import pytest
from django.urls import reverse

from portal.middleware import LANGUAGE_SESSION_KEY

pytestmark = pytest.mark.django_db


def test_the_profile_needs_a_login(client):
    assert client.get(reverse("accounts:profile"))["Location"].startswith(reverse("accounts:login"))


def test_profile_update_normalises_the_phone_and_switches_the_language(client, tenant, user):
    client.force_login(user)

    response = client.post(
        "/azersu/accounts/profile/",
        {"full_name": "Aysel Mammadova-Aliyeva", "phone": "(050) 123-45-67", "preferred_language": "uz"},
    )

    assert response["Location"] == "/azersu/accounts/profile/"
    user.refresh_from_db()
    assert user.full_name == "Aysel Mammadova-Aliyeva"
    assert user.phone == "+994501234567"
    assert user.preferred_language == "uz"
    assert client.session[LANGUAGE_SESSION_KEY] == "uz"


def test_an_invalid_phone_is_refused_with_a_message_at_the_field(client, user):
    client.force_login(user)

    response = client.post(
        reverse("accounts:profile"), {"full_name": user.full_name, "phone": "12345", "preferred_language": "en"}
    )

    assert response.status_code == 200
    assert 'id="id_phone_error"' in response.text
    assert "Enter a valid phone number" in response.text
    user.refresh_from_db()
    assert user.phone == ""


def test_the_profile_shows_the_email_and_security_links(client, user):
    client.force_login(user)

    response = client.get(reverse("accounts:profile"))

    assert user.email in response.text
    assert reverse("accounts:password_change") in response.text
    assert reverse("accounts:two_factor") in response.text
    assert response.text.count("<h1") == 1
