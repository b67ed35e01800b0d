"""The notification outbox: rows written with the business change, published after commit,
sent once, retried with backoff, swept after a broker outage; e-mail and SMS backends."""

import datetime
import http.server
import json
import threading
from datetime import timedelta
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from portal.delivery import due_notifications
from portal.models import Notification
from portal.notifications import notify_user, publish, queue_notification, render_message
from portal.sms import FileSmsBackend, HttpSmsBackend, SmsError
from portal.tasks import send_notification, sweep_pending_notifications

pytestmark = pytest.mark.django_db

TEMPLATES = {
    "subject.txt": "{% load i18n %}{% get_current_language as lang %}Reading accepted [{{ lang }}]",
    "body.txt": '{% load i18n %}Hello {{ name }}, period: {{ period|date:"F Y" }}.',
    "body.html": '<p>Hello <b>{{ name }}</b>, period: {{ period|date:"F Y" }}.</p>',
    "sms.txt": '{{ name }}: {{ period|date:"F" }}',
}
CONTEXT = {"name": "Aysel", "period": datetime.date(2025, 1, 1)}


class BrokenEmailBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server refused the connection")


@pytest.fixture(autouse=True)
def message_templates(settings, tmp_path):
    """A message template 'reading_accepted' in a template directory of the test's own."""
    folder = tmp_path / "templates" / "notifications" / "reading_accepted"
    folder.mkdir(parents=True)
    for name, text in TEMPLATES.items():
        (folder / name).write_text(text, encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}]


@pytest.fixture
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "p"}},
    }
    return storages["private"]


def queue(tenant, channel="email", recipient="aysel@example.com", **kwargs):
    return queue_notification(
        tenant=tenant,
        channel=channel,
        recipient=recipient,
        template="reading_accepted",
        context=CONTEXT,
        language=kwargs.pop("language", "ru"),
        **kwargs,
    )


def backdate(notification, seconds):
    Notification.objects.filter(pk=notification.pk).update(created_at=timezone.now() - timedelta(seconds=seconds))


# --- Rendering and queueing ---------------------------------------------------------------------


def test_message_is_rendered_in_the_recipients_language():
    subject, body, body_html = render_message("reading_accepted", CONTEXT, "ru", "email")
    assert subject == "Reading accepted [ru]"
    assert body == "Hello Aysel, period: Январь 2025.\n"
    assert "<b>Aysel</b>" in body_html and "Январь 2025" in body_html

    assert render_message("reading_accepted", CONTEXT, "az", "sms") == ("", "Aysel: Yanvar", "")


def test_row_is_written_inside_the_transaction_and_nothing_is_published_on_rollback(
    tenant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            notification = queue(tenant)
            assert Notification.objects.filter(pk=notification.pk, status="pending").exists()
            raise RuntimeError("the business change failed")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_message_is_published_only_after_commit_and_then_sent(tenant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = queue(tenant)
        assert mail.outbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    notification.refresh_from_db()
    assert notification.status == "sent" and notification.sent_at is not None and notification.attempts == 1
    assert [m.to for m in mail.outbox] == [["aysel@example.com"]]
    assert mail.outbox[0].subject == "Reading accepted [ru]"


def test_notify_user_writes_to_each_channel_in_the_users_language(tenant, user):
    user.preferred_language = "az"
    user.phone = "+994501234567"
    user.save()
    rows = notify_user(
        tenant=tenant, user=user, template="reading_accepted", context=CONTEXT, channels=("email", "sms")
    )
    assert [(n.channel, n.recipient, n.language) for n in rows] == [
        ("email", "citizen@example.com", "az"),
        ("sms", "+994501234567", "az"),
    ]
    assert rows[1].body.endswith("Yanvar")


# --- Sending --------------------------------------------------------------------------------------


def test_sending_marks_the_row_sent_and_a_second_run_sends_nothing(tenant):
    notification = queue(tenant)
    send_notification.delay(notification.pk)
    send_notification.delay(notification.pk)
    notification.refresh_from_db()
    assert notification.status == "sent"
    assert len(mail.outbox) == 1


def test_email_carries_the_html_alternative_and_attachments_from_private_storage(tenant, private_storage):
    name = private_storage.save("applications/act-17.pdf", ContentFile(b"%PDF-1.7 act"))
    notification = queue(tenant, attachments=[name])
    send_notification.delay(notification.pk)
    message = mail.outbox[0]
    assert message.alternatives[0][1] == "text/html" and "<b>Aysel</b>" in message.alternatives[0][0]
    assert message.attachments == [("act-17.pdf", b"%PDF-1.7 act", "application/pdf")]


def test_failed_attempt_records_the_error_and_waits_with_growing_backoff(tenant, settings):
    settings.EMAIL_BACKEND = "tests.portal.test_notifications.BrokenEmailBackend"
    notification = queue(tenant)
    before = timezone.now()
    send_notification.delay(notification.pk)
    notification.refresh_from_db()
    assert notification.status == "pending" and notification.attempts == 1
    assert "SMTP server refused the connection" in notification.last_error
    assert before + timedelta(seconds=29) < notification.next_attempt_at < timezone.now() + timedelta(seconds=31)

    # A wake-up before the backoff has passed (an old message, a sweep) does not try again.
    send_notification.delay(notification.pk)
    notification.refresh_from_db()
    assert notification.attempts == 1

    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now())
    before = timezone.now()
    send_notification.delay(notification.pk)
    notification.refresh_from_db()
    assert notification.attempts == 2
    assert notification.next_attempt_at > before + timedelta(seconds=59)  # doubled


def test_message_is_failed_after_the_last_attempt(tenant, settings):
    settings.EMAIL_BACKEND = "tests.portal.test_notifications.BrokenEmailBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 3
    notification = queue(tenant)
    for _ in range(5):
        Notification.objects.filter(pk=notification.pk).update(next_attempt_at=None)
        send_notification.delay(notification.pk)
    notification.refresh_from_db()
    assert notification.status == "failed" and notification.attempts == 3
    assert notification.next_attempt_at is None and notification.sent_at is None


def test_worker_schedules_the_retry_with_the_backoff_as_countdown(tenant, settings):
    settings.EMAIL_BACKEND = "tests.portal.test_notifications.BrokenEmailBackend"
    notification = queue(tenant)
    with mock.patch.object(send_notification, "retry", side_effect=Retry()) as retry:
        with pytest.raises(Retry):
            send_notification.run(notification.pk)  # as a worker runs it: not eager
    assert retry.call_args.kwargs["countdown"] == 30
    notification.refresh_from_db()
    assert notification.attempts == 1  # the attempt was committed before the retry was scheduled


def test_sending_a_vanished_row_does_nothing():
    assert send_notification.delay(999999).get() == "skipped"


# --- Sweep and broker outages ---------------------------------------------------------------------


def test_sweep_publishes_only_pending_rows_older_than_the_grace_period_and_due(tenant, settings):
    settings.OUTBOX_SWEEP_GRACE_SECONDS = 60
    lost = queue(tenant, recipient="lost@example.com")
    backdate(lost, 120)
    queue(tenant, recipient="fresh@example.com")
    waiting = queue(tenant, recipient="waiting@example.com")
    backdate(waiting, 120)
    Notification.objects.filter(pk=waiting.pk).update(next_attempt_at=timezone.now() + timedelta(minutes=5))
    for status in ("sent", "failed"):
        done = queue(tenant, recipient=f"{status}@example.com")
        backdate(done, 120)
        Notification.objects.filter(pk=done.pk).update(status=status)

    with mock.patch("portal.notifications.publish") as published:
        assert sweep_pending_notifications.delay().get() == 1
    assert published.call_args_list == [mock.call(lost.pk)]


def test_sweep_sends_what_a_broker_outage_left_pending(tenant):
    lost = queue(tenant)  # its on_commit publish never ran (no commit in this test: as if lost)
    backdate(lost, 3600)
    sweep_pending_notifications.delay()
    lost.refresh_from_db()
    assert lost.status == "sent" and len(mail.outbox) == 1


def test_sweep_takes_a_bounded_batch(tenant):
    for _ in range(3):
        backdate(queue(tenant), 120)
    assert len(due_notifications(grace_seconds=60, limit=2)) == 2


def test_broker_failure_in_publish_does_not_raise_and_leaves_the_row_pending(tenant, caplog):
    notification = queue(tenant)
    with mock.patch.object(send_notification, "apply_async", side_effect=OperationalError("Connection refused")):
        publish(notification.pk)
    notification.refresh_from_db()
    assert notification.status == "pending"
    assert "the sweep will send it" in caplog.text


# --- SMS ------------------------------------------------------------------------------------------


def test_sms_notification_is_sent_through_the_configured_backend(tenant, sms_outbox):
    notification = queue(tenant, channel="sms", recipient="+994501234567", language="az")
    send_notification.delay(notification.pk)
    notification.refresh_from_db()
    assert notification.status == "sent"
    assert sms_outbox == [{"to": "+994501234567", "text": "Aysel: Yanvar", "from": "Abonent"}]


def test_file_sms_backend_appends_each_message_to_the_days_file(tmp_path):
    backend = FileSmsBackend(path=tmp_path / "sms")
    backend.send("+994501234567", "Sayğac göstəricisi qəbul edildi", "Azersu")
    backend.send("+998901234567", "Second", "Abonent")
    (log,) = (tmp_path / "sms").iterdir()
    text = log.read_text(encoding="utf-8")
    assert "SMS from Azersu to +994501234567\nSayğac göstəricisi qəbul edildi" in text
    assert "to +998901234567\nSecond" in text


class FakeGateway(http.server.BaseHTTPRequestHandler):
    answer = 202
    received = []

    def do_POST(self):  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers["Content-Length"]))
        FakeGateway.received.append({"headers": dict(self.headers), "json": json.loads(body)})
        self.send_response(FakeGateway.answer)
        self.end_headers()
        self.wfile.write(b'{"error": "no credit"}' if FakeGateway.answer >= 400 else b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    """A tiny SMS gateway on 127.0.0.1 (no other network is used)."""
    FakeGateway.answer = 202
    FakeGateway.received = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeGateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/v1/messages"
    server.shutdown()
    server.server_close()


def test_http_gateway_receives_json_with_the_bearer_token(tenant, settings, gateway):
    settings.SMS_BACKEND = "portal.sms.HttpSmsBackend"
    settings.SMS_GATEWAY_URL = gateway
    settings.SMS_GATEWAY_TOKEN = "s3cret"
    notification = queue(tenant, channel="sms", recipient="+994501234567", language="az")
    send_notification.delay(notification.pk)
    notification.refresh_from_db()
    assert notification.status == "sent"
    (request,) = FakeGateway.received
    assert request["json"] == {"to": "+994501234567", "from": "Abonent", "text": "Aysel: Yanvar"}
    assert request["headers"]["Authorization"] == "Bearer s3cret"
    assert request["headers"]["Content-Type"] == "application/json"


def test_http_gateway_refusal_is_an_error_the_outbox_records(tenant, settings, gateway):
    FakeGateway.answer = 402
    with pytest.raises(SmsError, match="402"):
        HttpSmsBackend(url=gateway, token="t").send("+994501234567", "x", "Abonent")

    settings.SMS_BACKEND = "portal.sms.HttpSmsBackend"
    settings.SMS_GATEWAY_URL = gateway
    notification = queue(tenant, channel="sms", recipient="+994501234567")
    send_notification.delay(notification.pk)
    notification.refresh_from_db()
    assert notification.status == "pending" and notification.attempts == 1
    assert "402" in notification.last_error and "no credit" in notification.last_error


def test_unreachable_http_gateway_is_an_error():
    # Port 9 (discard) on the loopback: connection refused, nothing leaves the machine.
    with pytest.raises(SmsError, match="unreachable"):
        HttpSmsBackend(url="http://127.0.0.1:9/", token="t", timeout=2).send("+1", "x", "A")
