"""The staff admin demands a TOTP code, and users and organizations are for superusers only."""

import re

import pytest
from django.urls import reverse

from tests.accounts.factories import PASSWORD, UserFactory, current_code, totp_device
from tests.portal.factories import StaffMembershipFactory, login_verified_staff

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"
ADMIN_LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def admin_user(db):
    return UserFactory(email="root@abonent.example", is_staff=True, is_superuser=True)


def admin_login(client, user, **otp):
    return client.post(ADMIN_LOGIN, {"username": user.email, "password": PASSWORD, **otp})


def test_the_admin_login_page_asks_for_the_otp_code(client):
    response = client.get(ADMIN_LOGIN)

    assert response.status_code == 200
    assert 'name="otp_token"' in response.text


def test_a_correct_password_without_a_code_does_not_open_the_admin(client, admin_user):
    totp_device(admin_user)

    response = admin_login(client, admin_user)

    assert response.status_code == 200
    assert client.get(ADMIN)["Location"].startswith("/admin/login/")


def test_a_wrong_code_does_not_open_the_admin(client, admin_user):
    device = totp_device(admin_user)
    wrong = "000000" if current_code(device) != "000000" else "111111"

    response = admin_login(client, admin_user, otp_token=wrong)

    assert response.status_code == 200
    assert client.get(ADMIN)["Location"].startswith("/admin/login/")


def test_staff_without_a_device_cannot_enter_the_admin(client, admin_user):
    response = admin_login(client, admin_user, otp_token="123456")

    assert response.status_code == 200
    assert client.get(ADMIN).status_code == 302


def test_the_password_and_a_valid_totp_code_open_the_admin(client, admin_user):
    device = totp_device(admin_user)

    response = admin_login(client, admin_user, otp_token=current_code(device))

    assert response.status_code == 302
    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_email_password_and_code_in_one_submit_open_the_admin_without_choosing_a_device(client, admin_user):
    device = totp_device(admin_user)

    response = admin_login(client, admin_user, otp_token=current_code(device))

    assert response.status_code == 302
    assert client.get(ADMIN).status_code == 200


def test_a_wrong_code_without_a_chosen_device_is_still_refused(client, admin_user):
    device = totp_device(admin_user)
    wrong = "000000" if current_code(device) != "000000" else "111111"

    admin_login(client, admin_user, otp_token=wrong)

    assert client.get(ADMIN)["Location"].startswith("/admin/login/")


def test_a_portal_session_without_the_second_factor_does_not_open_the_admin(client, admin_user):
    client.force_login(admin_user)

    assert client.get(ADMIN)["Location"].startswith("/admin/login/")


def test_tenant_staff_cannot_see_users_or_organizations_in_the_admin(client):
    staff = StaffMembershipFactory(user__email="clerk@azersu.example").user
    login_verified_staff(client, staff)

    index = client.get(ADMIN)
    assert index.status_code == 200
    assert reverse("admin:accounts_user_changelist") not in index.text
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert client.get(reverse("admin:accounts_user_change", args=[staff.pk])).status_code == 403
    assert client.get(reverse("admin:accounts_organization_changelist")).status_code == 403
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "portal", "model_name": "staffmembership", "field_name": "user", "term": "a"},
    )
    assert autocomplete.status_code == 403


def test_superusers_manage_users_and_find_them_by_autocomplete(client, admin_user, user):
    login_verified_staff(client, admin_user)

    assert user.email in client.get(reverse("admin:accounts_user_changelist")).text
    assert client.get(reverse("admin:accounts_organization_changelist")).status_code == 200
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "portal", "model_name": "staffmembership", "field_name": "user", "term": "citizen"},
    )
    assert autocomplete.status_code == 200
    assert autocomplete.json()["results"][0]["id"] == str(user.pk)


def test_failed_admin_logins_lock_that_account_from_that_address(client, admin_user, settings):
    for index in range(settings.AXES_FAILURE_LIMIT):
        username = "ROOT@abonent.example" if index % 2 else "root@abonent.example"
        response = client.post(ADMIN_LOGIN, {"username": username, "password": "guess"})

    assert response.status_code == 429
    assert "Too many attempts" in response.text


# -- the login page is no oracle for the password ------------------------------------------------

SECRET = PASSWORD


def login_page(client, user, password, code):
    response = client.post(ADMIN_LOGIN, {"username": user.email, "password": password, "otp_token": code})
    assert response.status_code == 200
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.text)


def wrong_code_for(device):
    return "000000" if current_code(device) != "000000" else "111111"


def test_a_right_password_with_a_wrong_code_gets_the_page_a_wrong_password_gets(client, admin_user):
    device = totp_device(admin_user)
    wrong = wrong_code_for(device)

    after_wrong_password = login_page(client, admin_user, "not-the-password", wrong)
    after_wrong_code = login_page(client, admin_user, SECRET, wrong)

    assert after_wrong_code == after_wrong_password
    assert "Please enter the correct e-mail address, password and code of a staff account." in after_wrong_code


def test_the_password_is_never_rendered_back(client, admin_user):
    device = totp_device(admin_user)

    page = login_page(client, admin_user, SECRET, wrong_code_for(device))

    assert SECRET not in page
    assert admin_user.email in page


def test_a_right_password_without_a_device_gets_the_same_page_too(client, admin_user):
    after_wrong_password = login_page(client, admin_user, "not-the-password", "123456")
    after_no_device = login_page(client, admin_user, SECRET, "123456")

    assert after_no_device == after_wrong_password


def test_a_backup_code_opens_the_admin(client, admin_user):
    from django_otp.plugins.otp_static.models import StaticDevice

    device = StaticDevice.objects.create(user=admin_user, name="backup", confirmed=True)
    device.token_set.create(token="abcd2345")

    response = client.post(
        ADMIN_LOGIN,
        {"username": admin_user.email, "password": SECRET, "otp_device": "static", "otp_token": "abcd2345"},
    )

    assert response.status_code == 302
    assert client.get(ADMIN).status_code == 200


def test_the_login_labels_and_message_are_translated(client, admin_user):
    device = totp_device(admin_user)
    client.cookies["django_language"] = "ru"

    page = login_page(client, admin_user, SECRET, wrong_code_for(device))

    assert "OTP Token" not in page and "OTP Device" not in page
    assert "Please enter the correct e-mail address" not in page


def test_another_users_device_and_its_code_do_not_open_the_admin(client, admin_user):
    totp_device(admin_user)
    other = totp_device(UserFactory(email="other@abonent.example", is_staff=True))

    client.post(
        ADMIN_LOGIN,
        {
            "username": admin_user.email,
            "password": SECRET,
            "otp_device": other.persistent_id,
            "otp_token": current_code(other),
        },
    )

    assert client.get(ADMIN)["Location"].startswith("/admin/login/")
