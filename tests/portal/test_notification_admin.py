"""The outbox in the staff admin: read-only, scoped to the staff member's tenant, failed messages
can be sent again."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail

from portal.models import Notification
from tests.accounts.factories import UserFactory
from tests.portal.factories import StaffMembershipFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/portal/notification/"


def make(tenant, recipient, status="sent", attempts=1):
    return Notification.objects.create(
        tenant=tenant,
        channel="email",
        recipient=recipient,
        language="az",
        template="reading_accepted",
        subject="Subject",
        body="Body",
        status=status,
        attempts=attempts,
        last_error="SMTP refused" if status == "failed" else "",
    )


@pytest.fixture
def staff(tenant):
    membership = StaffMembershipFactory(tenant=tenant, user=UserFactory(email="staff@azersu.test", is_staff=True))
    codenames = ["view_notification", "change_notification"]
    membership.user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return membership.user


@pytest.fixture
def outbox(tenant, other_tenant):
    return {
        "ours": make(tenant, "ours@example.com"),
        "failed": make(tenant, "failed@example.com", status="failed", attempts=8),
        "theirs": make(other_tenant, "theirs@example.com"),
        "account": make(None, "account@example.com"),
    }


def test_staff_see_only_their_tenants_messages(client, otp_login, staff, outbox):
    response = otp_login(client, staff).get(CHANGELIST)
    assert response.status_code == 200
    assert "ours@example.com" in response.text and "failed@example.com" in response.text
    assert "theirs@example.com" not in response.text
    assert "account@example.com" not in response.text
    assert otp_login(client, staff).get(f"{CHANGELIST}{outbox['theirs'].pk}/change/").status_code == 302


def test_superusers_see_account_messages_too(client, otp_login, outbox):
    admin = UserFactory(email="root@abonent.test", is_staff=True, is_superuser=True)
    response = otp_login(client, admin).get(CHANGELIST)
    assert all(f"{key}@example.com" in response.text for key in ("ours", "theirs", "account"))


def test_messages_are_read_only(client, otp_login, staff, outbox):
    client = otp_login(client, staff)
    page = client.get(f"{CHANGELIST}{outbox['ours'].pk}/change/")
    assert page.status_code == 200
    assert 'name="recipient"' not in page.text  # shown, not editable
    assert client.post(f"{CHANGELIST}{outbox['ours'].pk}/delete/").status_code == 403
    assert client.get(f"{CHANGELIST}add/").status_code == 403


def test_list_filters_by_channel_status_and_template(client, otp_login, staff, outbox):
    response = otp_login(client, staff).get(CHANGELIST, {"status__exact": "failed"})
    assert "failed@example.com" in response.text and "ours@example.com" not in response.text
    assert "channel__exact=email" in response.text  # the channel filter's links
    assert "template=reading_accepted" in response.text  # the template filter's links


def test_send_again_now_requeues_failed_messages_and_sends_them(
    client, otp_login, staff, outbox, django_capture_on_commit_callbacks
):
    selected = [outbox["failed"].pk, outbox["ours"].pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = otp_login(client, staff).post(
            CHANGELIST, {"action": "send_again_now", "_selected_action": selected}, follow=True
        )
    assert "1 message queued again." in response.text
    outbox["failed"].refresh_from_db()
    assert outbox["failed"].status == "sent" and outbox["failed"].attempts == 1
    assert [m.to for m in mail.outbox] == [["failed@example.com"]]  # the sent one was not sent twice


def test_staff_cannot_resend_another_tenants_messages(client, otp_login, staff, outbox):
    Notification.objects.filter(pk=outbox["theirs"].pk).update(status="failed")
    otp_login(client, staff).post(CHANGELIST, {"action": "send_again_now", "_selected_action": [outbox["theirs"].pk]})
    outbox["theirs"].refresh_from_db()
    assert outbox["theirs"].status == "failed" and mail.outbox == []


def test_admin_without_otp_is_refused(client, staff, outbox):
    client.force_login(staff)
    response = client.get(CHANGELIST)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
