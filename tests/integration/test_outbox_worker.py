"""The outbox end to end: PostgreSQL, Redis and a real Celery worker process.

A notification written in a transaction reaches the worker through Redis and is sent; one
written while the broker is unreachable stays pending and is sent by the sweep once Redis is back.
"""

import socket
import threading
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import transaction

from portal.models import Notification
from portal.notifications import queue_notification
from portal.tasks import sweep_pending_notifications
from tests.integration.conftest import wait_for_status

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def queue_email(tenant, number):
    with transaction.atomic():
        return queue_notification(
            tenant=tenant, channel="email", recipient=f"subscriber{number}@example.com",
            template="integration_check", context={"number": number}, language="en",
        )  # fmt: skip


def mails_to(mail_dir, recipient):
    return [path for path in mail_dir.iterdir() if f"To: {recipient}" in path.read_text(errors="replace")]


def test_email_goes_through_redis_and_the_worker_and_ends_sent(tenant, broker, message_templates, mail_dir):
    notification = queue_email(tenant, 1)

    notification = wait_for_status(notification, Notification.Status.SENT)
    assert notification.attempts == 1 and notification.sent_at is not None
    (mail,) = mails_to(mail_dir, "subscriber1@example.com")
    text = mail.read_text()
    assert "Subject: Integration check 1" in text
    assert "Message number 1 went through Redis and the worker." in text


class TcpProxy:
    """Forwards a local port to Redis; stop() makes the broker unreachable for this process only
    (the worker keeps its own direct connection), start() brings it back on the same port."""

    def __init__(self, target_host, target_port):
        self.target = (target_host, target_port)
        self.port = None
        self.listener = None
        self.sockets = set()
        self.lock = threading.Lock()

    def start(self):
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port or 0))
        self.port = self.listener.getsockname()[1]
        self.listener.listen(16)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def stop(self):
        self.listener.close()
        with self.lock:
            for sock in self.sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            self.sockets.clear()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:  # the listener was closed by stop()
                return
            upstream = socket.create_connection(self.target, timeout=5)
            upstream.settimeout(None)
            with self.lock:
                self.sockets.update({client, upstream})
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()

    def _pipe(self, source, destination):
        try:
            while data := source.recv(65536):
                destination.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, destination):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


@pytest.fixture
def proxy():
    url = urlsplit(settings.CELERY_BROKER_URL)
    proxy = TcpProxy(url.hostname, url.port or 6379)
    proxy.start()
    yield proxy, urlunsplit(url._replace(netloc=f"127.0.0.1:{proxy.port}"))
    proxy.stop()


def test_notification_queued_while_the_broker_is_down_is_sent_by_the_sweep(
    tenant, broker, proxy, message_templates, mail_dir
):
    proxy, proxied_url = proxy
    broker(proxied_url)
    proxy.stop()  # Redis is now unreachable from this process

    started = time.monotonic()
    notification = queue_email(tenant, 2)  # the on_commit publish fails; the request goes on
    assert time.monotonic() - started < 10, "publishing must fail fast while the broker is down"
    time.sleep(2)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING and notification.attempts == 0
    assert mails_to(mail_dir, "subscriber2@example.com") == []

    proxy.start()  # Redis is back
    sweep_pending_notifications.apply_async(kwargs={"grace_seconds": 0})  # what beat does every minute

    notification = wait_for_status(notification, Notification.Status.SENT)
    assert notification.attempts == 1
    assert len(mails_to(mail_dir, "subscriber2@example.com")) == 1
