import re

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.factories import PASSWORD, UserFactory, backup_codes, current_code, totp_device

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:login_verify")


def log_in(client, user, next_url=None):
    data = {"email": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def test_setting_up_the_authenticator_shows_a_qr_code_then_backup_codes_once(client, user):
    client.force_login(user)

    page = client.get(reverse("accounts:two_factor_setup"))
    assert "<svg" in page.text
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    # The secret for manual entry, in base32 groups.
    assert re.search(r"<code[^>]*>([A-Z2-7]{4} ){8}", page.text)
    # Reloading keeps the secret that may already be scanned.
    client.get(reverse("accounts:two_factor_setup"))
    assert TOTPDevice.objects.get(user=user).pk == device.pk

    response = client.post(reverse("accounts:two_factor_setup"), {"token": current_code(device)})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.text)
    assert len(codes) == 10
    assert set(codes) == set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_a_wrong_code_does_not_turn_two_factor_on(client, user):
    client.force_login(user)
    client.get(reverse("accounts:two_factor_setup"))

    response = client.post(reverse("accounts:two_factor_setup"), {"token": "000000"})

    assert "The code is not valid" in response.text
    assert not TOTPDevice.objects.get(user=user).confirmed
    assert not StaticToken.objects.exists()


def test_with_two_factor_the_password_alone_does_not_log_in(client, user, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # retry at once after the wrong code
    device = totp_device(user)

    response = log_in(client, user, next_url="/accounts/organizations/")

    assert response["Location"] == VERIFY
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("accounts:profile")).status_code == 302

    wrong = client.post(VERIFY, {"token": "123456" if current_code(device) != "123456" else "654321"})
    assert "The code is not valid or has already been used." in wrong.text
    assert "_auth_user_id" not in client.session

    done = client.post(VERIFY, {"token": current_code(device)})
    assert done["Location"] == "/accounts/organizations/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_a_totp_code_cannot_be_used_twice(client, user):
    device = totp_device(user)
    code = current_code(device)
    log_in(client, user)
    client.post(VERIFY, {"token": code})
    client.post(reverse("accounts:logout"))

    log_in(client, user)
    response = client.post(VERIFY, {"token": code})

    assert "The code is not valid or has already been used." in response.text
    assert "_auth_user_id" not in client.session


def test_the_code_used_to_set_up_cannot_be_used_to_log_in(client, user):
    client.force_login(user)
    client.get(reverse("accounts:two_factor_setup"))
    code = current_code(TOTPDevice.objects.get(user=user))
    client.post(reverse("accounts:two_factor_setup"), {"token": code})
    client.post(reverse("accounts:logout"))

    log_in(client, user)
    assert "has already been used" in client.post(VERIFY, {"token": code}).text


def test_a_backup_code_logs_in_once(client, user):
    totp_device(user)
    first, second = backup_codes(user)

    log_in(client, user)
    response = client.post(VERIFY, {"token": first.upper()}, follow=True)
    assert "You used a backup code. Backup codes left: 1." in response.text
    assert response.wsgi_request.user == user
    client.post(reverse("accounts:logout"))

    log_in(client, user)
    assert "has already been used" in client.post(VERIFY, {"token": first}).text
    assert "_auth_user_id" not in client.session


def test_the_second_step_expires(client, user):
    device = totp_device(user)
    log_in(client, user)
    session = client.session
    session["accounts_pending_since"] -= 10 * 60
    session.save()

    response = client.post(VERIFY, {"token": current_code(device)})

    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


def test_new_backup_codes_need_a_current_code_and_replace_the_old_ones(client, user):
    device = totp_device(user)
    old = backup_codes(user)
    client.force_login(user)

    refused = client.post(reverse("accounts:two_factor_backup_codes"), {"token": old[0]})
    assert "The code is not valid" in refused.text

    response = client.post(reverse("accounts:two_factor_backup_codes"), {"token": current_code(device)})
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.text)
    assert len(codes) == 10
    remaining = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert remaining == set(codes)
    assert not remaining & set(old)


def test_turning_two_factor_off_needs_the_password_and_a_code(client, user):
    device = totp_device(user)
    backup_codes(user)
    client.force_login(user)

    wrong_password = client.post(
        reverse("accounts:two_factor_disable"), {"password": "nope", "token": current_code(device)}
    )
    assert "The password is wrong." in wrong_password.text
    wrong_code = client.post(reverse("accounts:two_factor_disable"), {"password": PASSWORD, "token": "12"})
    assert "The code is not valid" in wrong_code.text
    assert TOTPDevice.objects.filter(user=user).exists()

    response = client.post(
        reverse("accounts:two_factor_disable"), {"password": PASSWORD, "token": current_code(device, steps_ahead=1)}
    )
    assert response["Location"] == reverse("accounts:two_factor")
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.exists()


def test_staff_without_two_factor_are_sent_to_set_it_up_after_login(client):
    staff = UserFactory(email="clerk@azersu.example", is_staff=True)

    response = log_in(client, staff)

    assert response["Location"] == reverse("accounts:two_factor_setup")
    assert "Staff accounts must use two-factor authentication" in client.get(response["Location"]).text


def test_staff_cannot_turn_two_factor_off(client):
    staff = UserFactory(email="clerk@azersu.example", is_staff=True)
    device = totp_device(staff)
    client.force_login(staff)

    response = client.post(
        reverse("accounts:two_factor_disable"), {"password": PASSWORD, "token": current_code(device)}
    )

    assert response["Location"] == reverse("accounts:two_factor")
    assert TOTPDevice.objects.filter(user=staff).exists()


def test_the_status_page_says_whether_two_factor_is_on(client, user):
    client.force_login(user)
    assert reverse("accounts:two_factor_setup") in client.get(reverse("accounts:two_factor")).text

    totp_device(user)
    backup_codes(user)
    page = client.get(reverse("accounts:two_factor")).text
    assert "You have 2 unused backup codes." in page
    assert reverse("accounts:two_factor_disable") in page
