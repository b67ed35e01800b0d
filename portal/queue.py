"""Handing work to Celery without letting a broker outage break the user's request.

The row a task works on is written in the request's transaction; the task is told after commit
(``enqueue_on_commit``), so a worker never looks for a row that is not there yet, and a rollback
queues nothing. The publish itself never raises: with Redis down ``apply_async`` fails fast
(``retry=False``), the failure is logged, and the periodic sweep of the work in question (pending
notifications, invoices without a PDF, ...) publishes it again later. DESIGN.md, "Data that must
never be lost".
"""

import logging
from functools import partial

from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def publish(task, *args, if_down="it is left for later"):
    """Queue ``task`` (a Celery task, or its dotted path: tasks modules often import the module
    that queues them) with ``args`` now. Returns False, after logging ``if_down``, when the broker
    is unreachable."""
    if isinstance(task, str):
        task = import_string(task)
    try:
        task.apply_async(args=list(args), retry=False)
    except Exception:  # the broker is unreachable: the caller's sweep picks the work up
        logger.warning("Could not queue %s%r; %s", task.name, tuple(args), if_down, exc_info=True)
        return False
    return True


def enqueue_on_commit(task, *args, if_down="it is left for later"):
    """``publish`` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(partial(publish, task, *args, if_down=if_down))
