"""Work handed to Celery after commit, and never a failed request because the broker is down."""

import logging
from unittest import mock

import pytest
from django.db import transaction
from kombu.exceptions import OperationalError

from portal.queue import enqueue_on_commit, publish
from portal.tasks import send_notification

pytestmark = pytest.mark.django_db


def test_the_task_is_queued_only_once_the_transaction_commits(django_capture_on_commit_callbacks):
    with mock.patch.object(send_notification, "apply_async") as apply_async:
        with django_capture_on_commit_callbacks(execute=True):
            enqueue_on_commit(send_notification, 7)
            assert not apply_async.called
    apply_async.assert_called_once_with(args=[7], retry=False)


def test_nothing_is_queued_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with mock.patch.object(send_notification, "apply_async") as apply_async:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(RuntimeError), transaction.atomic():
                enqueue_on_commit("portal.tasks.send_notification", 7)
                raise RuntimeError("the business change failed")
    assert callbacks == [] and not apply_async.called


def test_a_task_named_by_its_path_is_found_when_published():
    with mock.patch.object(send_notification, "apply_async") as apply_async:
        assert publish("portal.tasks.send_notification", 3) is True
    apply_async.assert_called_once_with(args=[3], retry=False)


def test_a_broker_outage_is_logged_with_what_happens_next_and_never_raised(caplog):
    down = OperationalError("Connection refused")
    with caplog.at_level(logging.WARNING, logger="portal.queue"):
        with mock.patch.object(send_notification, "apply_async", side_effect=down):
            assert publish(send_notification, 3, if_down="the sweep will send it") is False
    assert "portal.tasks.send_notification(3,); the sweep will send it" in caplog.text
