"""Working on a billing run: claim a chunk, write its invoices, mark it done, in one transaction.

The claim is SELECT … FOR UPDATE SKIP LOCKED on the chunk row, held until the chunk commits: two
workers never take the same chunk, a worker that dies mid-chunk rolls back everything it wrote
(invoices, lines, numbers) and releases the row, and the next claim takes the chunk up again.
"""

import logging

from django.db import connection, transaction
from django.utils import timezone

from billing.models import BillingRunChunk
from billing.run.planning import finish_run_if_done

logger = logging.getLogger(__name__)


def write_chunk(chunk):
    """Form the chunk's invoices: (invoices, lines) written. Set-based on PostgreSQL; the
    portable path elsewhere (and where PostgreSQL's text rendering cannot follow a date format)."""
    if connection.vendor == "postgresql":
        from billing.run import postgres

        if postgres.supported():
            return postgres.write_chunk(chunk)
    from billing.run import portable

    return portable.write_chunk(chunk)


def mark_done(chunk, *, invoices, lines):
    chunk.done, chunk.invoices, chunk.lines, chunk.finished_at = True, invoices, lines, timezone.now()
    chunk.save(update_fields=["done", "invoices", "lines", "finished_at"])


def work_on_next_chunk(run_id):
    """Claim one unfinished chunk of the run and write it; False when none is left to claim."""
    with transaction.atomic():
        chunk = (
            BillingRunChunk.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("run", "run__tenant")
            .filter(run_id=run_id, done=False)
            .order_by("first_account_id")
            .first()
        )
        if chunk is None:
            return False
        invoices, lines = write_chunk(chunk)
        mark_done(chunk, invoices=invoices, lines=lines)
    logger.info("Billing run %s: chunk from account %s formed %s invoices", run_id, chunk.first_account_id, invoices)
    return True


def work_on_run(run_id):
    """Write chunks of the run until none is left to claim; then mark it done if it is. Any
    number of workers may call this for the same run at once. Returns the chunks written."""
    written = 0
    while work_on_next_chunk(run_id):
        written += 1
    finish_run_if_done(run_id)
    return written
