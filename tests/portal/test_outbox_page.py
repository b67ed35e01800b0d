"""The development outbox page: every queued message with its body, filtered by channel and status."""

import pytest

from portal.models import Notification

pytestmark = pytest.mark.django_db


def make(tenant, channel, recipient, body, status="sent"):
    return Notification.objects.create(
        tenant=tenant,
        channel=channel,
        recipient=recipient,
        language="az",
        template="reading_accepted",
        subject="Göstərici qəbul edildi" if channel == "email" else "",
        body=body,
        status=status,
    )


@pytest.fixture
def messages(tenant):
    return [
        make(tenant, "email", "aysel@example.com", "Confirm: https://portal.test/confirm/abc/"),
        make(tenant, "sms", "+994501234567", "Kod: 123456"),
        make(None, "email", "new@example.com", "Welcome to Abonent", status="failed"),
    ]


def test_page_is_404_when_the_development_outbox_is_off(client, settings, messages):
    settings.DEV_OUTBOX = False
    assert client.get("/dev/outbox/").status_code == 404


def test_page_lists_every_message_with_its_body(client, settings, messages):
    settings.DEV_OUTBOX = True
    response = client.get("/dev/outbox/")
    assert response.status_code == 200
    assert "Confirm: https://portal.test/confirm/abc/" in response.text
    assert "Kod: 123456" in response.text
    assert "Welcome to Abonent" in response.text
    assert "Göstərici qəbul edildi" in response.text


def test_page_filters_by_channel(client, settings, messages):
    settings.DEV_OUTBOX = True
    response = client.get("/dev/outbox/", {"channel": "sms"})
    assert "Kod: 123456" in response.text
    assert "aysel@example.com" not in response.text and "new@example.com" not in response.text
    assert '<option value="sms" selected>' in response.text


def test_page_filters_by_status(client, settings, messages):
    settings.DEV_OUTBOX = True
    response = client.get("/dev/outbox/", {"status": "failed", "channel": "email"})
    assert "Welcome to Abonent" in response.text
    assert "Kod: 123456" not in response.text and "aysel@example.com" not in response.text


def test_unknown_filter_values_are_ignored(client, settings, messages):
    settings.DEV_OUTBOX = True
    response = client.get("/dev/outbox/", {"status": "x' OR 1=1", "channel": "fax"})
    assert response.status_code == 200
    assert all(text in response.text for text in ("aysel@example.com", "+994501234567", "new@example.com"))
