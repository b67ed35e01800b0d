import base64
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Organization, OrganizationMembership
from portal.demo import DEMO_PASSWORD
from portal.models import Branch, StaffMembership, Tenant

pytestmark = pytest.mark.django_db


def seed_demo():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def row_counts():
    models = [
        Tenant,
        Branch,
        StaffMembership,
        get_user_model(),
        TOTPDevice,
        Group,
        Organization,
        OrganizationMembership,
    ]
    return {model.__name__: model.objects.count() for model in models}


def test_seeding_twice_changes_nothing_and_prints_the_same_logins():
    first_output = seed_demo()
    first_counts = row_counts()
    secrets = dict(TOTPDevice.objects.values_list("user__email", "key"))

    second_output = seed_demo()

    assert row_counts() == first_counts
    assert dict(TOTPDevice.objects.values_list("user__email", "key")) == secrets
    assert second_output == first_output


def test_the_five_demo_utilities_are_created_with_their_branches():
    seed_demo()

    assert set(Tenant.objects.values_list("slug", flat=True)) == {
        "azersu",
        "azerishiq",
        "azerigaz",
        "uzbekenergo",
        "izhvodokanal",
    }
    izhvodokanal = Tenant.objects.get(slug="izhvodokanal")
    assert (izhvodokanal.country_code, izhvodokanal.currency, izhvodokanal.workflows) == (
        "RU",
        "RUB",
        ["contract_cabinet"],
    )
    sumgayit = Branch.objects.get(tenant__slug="azersu", code="sumgayit")
    assert sumgayit.short_lab_delivery_term
    assert not Branch.objects.get(tenant__slug="azersu", code="ganja").short_lab_delivery_term


def test_staff_can_log_in_to_the_admin_with_a_confirmed_totp_device():
    output = seed_demo()

    staff = get_user_model().objects.get(email="staff@azersu.abonent.local")
    assert staff.is_staff and staff.check_password(DEMO_PASSWORD)
    device = TOTPDevice.objects.get(user=staff)
    assert device.confirmed
    membership = StaffMembership.objects.get(user=staff)
    assert (membership.tenant.slug, membership.role) == ("azersu", StaffMembership.Role.REVIEWER)
    assert staff.has_perm("portal.change_branch")
    assert not staff.has_perm("portal.change_staffmembership")
    assert not staff.has_perm("portal.delete_tenant")
    assert device.config_url.split("secret=")[1].split("&")[0] in output


def test_one_staff_member_is_restricted_to_some_branches():
    seed_demo()

    membership = StaffMembership.objects.get(user__email="nasimi@azersu.abonent.local")
    assert set(membership.branches.values_list("code", flat=True)) == {"nasimi", "yasamal"}


def test_the_output_lists_every_login_with_the_demo_password():
    output = seed_demo()

    for email in [
        "admin@abonent.local",
        "staff@azersu.abonent.local",
        "staff@izhvodokanal.abonent.local",
        "citizen@abonent.local",
        "legal@abonent.local",
    ]:
        assert email in output
    assert DEMO_PASSWORD in output
    legal = get_user_model().objects.get(email="legal@abonent.local")
    assert OrganizationMembership.objects.get(user=legal).role == OrganizationMembership.Role.OWNER


def test_a_demo_staff_member_logs_in_to_the_admin_with_the_printed_secret_and_sees_his_branches(client):
    output = seed_demo()
    secret = re.search(r"staff@azersu\.abonent\.local: otpauth://\S+secret=([A-Z2-7]+)", output).group(1)
    device = TOTPDevice.objects.get(user__email="staff@azersu.abonent.local")

    response = client.post(
        "/admin/login/?next=/admin/",
        {
            "username": "staff@azersu.abonent.local",
            "password": DEMO_PASSWORD,
            "otp_device": device.persistent_id,
            "otp_token": f"{totp(base64.b32decode(secret)):06d}",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    branches = client.get("/admin/portal/branch/")
    assert branches.status_code == 200
    assert "Nəsimi rayon su təchizatı idarəsi" in branches.text
    assert "Toshkent shahar elektr tarmoqlari" not in branches.text


def test_reviewers_may_decide_on_each_kinds_own_admin_page():
    # Proxy permissions live on the proxy's content type: the role groups must include them, or
    # reviewers would see the generic queue but not the pages where W1 and W4 are decided.
    seed_demo()

    staff = get_user_model().objects.get(email="staff@azersu.abonent.local")
    for permission in [
        "applications.view_application",
        "readings.view_readingsapplication",
        "readings.change_readingsapplication",
        "cabinet.view_requestapplication",
        "cabinet.change_requestapplication",
    ]:
        assert staff.has_perm(permission), permission
    assert not staff.has_perm("cabinet.delete_requestapplication")


def test_the_demo_prints_no_log_lines_and_ends_with_the_logins(caplog):
    with caplog.at_level("INFO"):
        output = seed_demo()

    assert not [record for record in caplog.records if record.levelname == "WARNING"], "a tariff is missing"
    assert "succeeded in" not in output + caplog.text
    assert output.rstrip().splitlines()[-1].startswith("legal entity owner")


def test_one_demo_contract_can_submit_its_readings_today():
    from cabinet.windows import default_period, submission_window
    from meters.models import Contract

    output = seed_demo()

    contract = Contract.objects.get(number="ИВК-0815/2024")
    today = contract.tenant.today()
    assert submission_window(contract, default_period(contract, today), calendar=None).contains(today)
    assert "ИВК-0815/2024" in output and "open today" in output
