"""``manage.py billing_run <tenant> <YYYY-MM>``: start (or resume) a tenant's monthly billing run.

With a broker the chunks go to the Celery workers and the command returns at once (watch the run
in the admin); with ``--here`` (and always on the embedded default, where tasks run eagerly) the
chunks are written in this process, which may run beside the workers.
"""

from django.core.management.base import BaseCommand, CommandError

from billing.run.chunks import work_on_run
from billing.run.planning import CHUNK_ACCOUNTS, run_progress, start_billing_run
from billing.selectors_cabinet import parse_period
from portal.models import Tenant


class Command(BaseCommand):
    help = "Start or resume the monthly billing run of a tenant for a month (YYYY-MM)."

    def add_arguments(self, parser):
        parser.add_argument("tenant", help="tenant slug, e.g. izhvodokanal")
        parser.add_argument("period", help="the month billed, YYYY-MM")
        parser.add_argument("--here", action="store_true", help="write the chunks in this process too")
        parser.add_argument("--chunk-accounts", type=int, default=CHUNK_ACCOUNTS, help="accounts per chunk")

    def handle(self, *args, tenant, period, here, chunk_accounts, **options):
        tenant_row = Tenant.objects.filter(slug=tenant).first()
        if tenant_row is None:
            raise CommandError(f"No tenant {tenant!r}.")
        month = parse_period(period)
        if month is None:
            raise CommandError(f"{period!r} is not a month written YYYY-MM.")
        if chunk_accounts < 1:
            raise CommandError("--chunk-accounts must be at least 1.")
        run = start_billing_run(tenant=tenant_row, period=month, chunk_accounts=chunk_accounts)
        if here:
            work_on_run(run.pk)
            run.refresh_from_db()
        done, total, invoices, lines = run_progress(run)
        self.stdout.write(
            f"Billing run {run.pk} of {tenant_row.slug} for {run.period:%Y-%m}: {run.get_status_display()}, "
            f"{done}/{total} chunks, {invoices} invoices, {lines} lines."
        )
