"""Starting a billing run: one run per tenant and month, cut into chunks of account ids.

Starting a run that exists resumes it: its chunks not done are queued again. A chunk is a range
of account ids, not a list, so planning a million accounts is one query and a few hundred rows.
"""

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from billing.models import BillingRun, BillingRunChunk
from meters.models import SubscriberAccount
from portal.dates import month_start
from portal.queue import enqueue_on_commit

# 10,000 accounts a chunk: a chunk's transaction stays under a second on PostgreSQL (the invoice
# sequence row is locked only for its inserts), and a million accounts make 100 chunks to share.
CHUNK_ACCOUNTS = 10_000
# Tasks queued per run: each works chunk after chunk until none is left, so this is the most
# workers a run keeps busy at once; more workers than chunks would only find nothing to claim.
PARALLEL_TASKS = 4


def start_billing_run(*, tenant, period, started_by=None, chunk_accounts=CHUNK_ACCOUNTS, tasks=PARALLEL_TASKS):
    """The run of ``tenant`` for the month of ``period``, created and planned if new, and its
    unfinished chunks queued for the workers after commit. Idempotent: a second start (a double
    click, the command run again) returns the same run and only queues what is left."""
    period = month_start(period)
    with transaction.atomic():
        run = _get_or_create_run(tenant=tenant, period=period, started_by=started_by)
        run = BillingRun.objects.select_for_update().get(pk=run.pk)
        if run.chunks_total == 0:
            plan_chunks(run, chunk_accounts=chunk_accounts)
        if run.chunks.filter(done=False).exists():
            if run.status == BillingRun.Status.DONE:
                BillingRun.objects.filter(pk=run.pk).update(status=BillingRun.Status.RUNNING, finished_at=None)
            for _index in range(min(tasks, run.chunks_total)):
                enqueue_on_commit("billing.tasks.run_billing_chunks", run.pk, if_down="start the run again to resume")
        else:
            finish_run_if_done(run.pk)
    run.refresh_from_db()
    return run


def _get_or_create_run(*, tenant, period, started_by):
    try:
        with transaction.atomic():
            return BillingRun.objects.get_or_create(
                tenant=tenant, period=period, defaults={"issued_on": tenant.today(), "started_by": started_by}
            )[0]
    except IntegrityError:  # started twice at once: the other start created it
        return BillingRun.objects.get(tenant=tenant, period=period)


def plan_chunks(run, *, chunk_accounts=CHUNK_ACCOUNTS):
    """Cut the tenant's active accounts into ranges of ``chunk_accounts`` ids: the id of every
    n-th account starts a chunk (one query with a window function), the last one is open-ended
    so that accounts opened while the run plans are billed too."""
    accounts = SubscriberAccount._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS row_pos FROM {accounts}"  # noqa: S608
            " WHERE tenant_id = %s AND is_active) AS numbered WHERE (row_pos - 1) %% %s = 0 ORDER BY id",
            [run.tenant_id, chunk_accounts],
        )
        starts = [row[0] for row in cursor.fetchall()]
    ends = starts[1:] + [None]
    BillingRunChunk.objects.bulk_create(
        [
            BillingRunChunk(run=run, first_account_id=start, end_account_id=end)
            for start, end in zip(starts, ends, strict=True)
        ]
    )
    run.chunks_total = len(starts)
    run.save(update_fields=["chunks_total"])


def finish_run_if_done(run_id):
    """Mark the run done once no chunk is left (by whichever worker wrote the last one)."""
    pending = BillingRunChunk.objects.filter(run_id=run_id, done=False)
    return (
        BillingRun.objects.filter(pk=run_id, status=BillingRun.Status.RUNNING)
        .exclude(pk__in=pending.values("run_id"))
        .update(status=BillingRun.Status.DONE, finished_at=timezone.now())
    )


def run_progress(run):
    """(chunks done, chunks total, invoices formed, lines formed): one aggregate query."""
    totals = run.chunks.aggregate(done=Count("pk", filter=Q(done=True)), invoices=Sum("invoices"), lines=Sum("lines"))
    return totals["done"], run.chunks_total, totals["invoices"] or 0, totals["lines"] or 0
