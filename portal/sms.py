"""SMS backends: one small interface, ``send(recipient, text, sender)``, chosen by SMS_BACKEND.

The embedded default prints each message and appends it to a file under SMS_FILE_PATH, so the
demo and the browser tests can read what was sent. HttpSmsBackend talks to a real gateway.
A backend raises on failure; the outbox task records the error and retries.
"""

import json
import sys
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string


class SmsError(Exception):
    """The gateway refused the message or could not be reached."""


class BaseSmsBackend:
    def send(self, recipient, text, sender):
        raise NotImplementedError


def _as_text(recipient, text, sender):
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    return f"[{stamp}] SMS from {sender} to {recipient}\n{text}\n{'-' * 40}\n"


class ConsoleSmsBackend(BaseSmsBackend):
    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, recipient, text, sender):
        self.stream.write(_as_text(recipient, text, sender))
        self.stream.flush()


class FileSmsBackend(BaseSmsBackend):
    """Appends every message to one file a day under SMS_FILE_PATH."""

    def __init__(self, path=None):
        self.path = Path(path or settings.SMS_FILE_PATH)

    def send(self, recipient, text, sender):
        self.path.mkdir(parents=True, exist_ok=True)
        target = self.path / f"sms-{datetime.now(UTC):%Y-%m-%d}.log"
        with target.open("a", encoding="utf-8") as handle:
            handle.write(_as_text(recipient, text, sender))


class ConsoleAndFileSmsBackend(BaseSmsBackend):
    def __init__(self):
        self.console = ConsoleSmsBackend()
        self.file = FileSmsBackend()

    def send(self, recipient, text, sender):
        self.console.send(recipient, text, sender)
        self.file.send(recipient, text, sender)


# Messages "sent" by LocmemSmsBackend, like django.core.mail.outbox; the test suite empties it.
outbox = []


class LocmemSmsBackend(BaseSmsBackend):
    """The test suite's backend: keeps (recipient, text, sender) in ``portal.sms.outbox``."""

    def send(self, recipient, text, sender):
        outbox.append({"to": recipient, "text": text, "from": sender})


class HttpSmsBackend(BaseSmsBackend):
    """A JSON-over-HTTPS gateway: POST {"to", "from", "text"} with a bearer token.

    Any answer other than 2xx is an error, so the outbox retries rather than marking the
    message sent.
    """

    def __init__(self, url=None, token=None, timeout=10):
        self.url = url or settings.SMS_GATEWAY_URL
        self.token = token if token is not None else settings.SMS_GATEWAY_TOKEN
        self.timeout = timeout
        if not self.url.startswith(("https://", "http://")):
            raise SmsError("SMS_GATEWAY_URL must be an http(s) URL")

    def send(self, recipient, text, sender):
        payload = json.dumps({"to": recipient, "from": sender, "text": text}).encode()
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.url,
            data=payload,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.token}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as error:
            raise SmsError(f"SMS gateway answered {error.code}: {error.read(200).decode(errors='replace')}")
        except (urllib.error.URLError, OSError) as error:
            raise SmsError(f"SMS gateway unreachable: {error}")
        if not 200 <= status < 300:
            raise SmsError(f"SMS gateway answered {status}")


def get_sms_backend(path=None):
    return import_string(path or settings.SMS_BACKEND)()


def send_sms(recipient, text, sender=None):
    get_sms_backend().send(recipient, text, sender or settings.SMS_SENDER)
