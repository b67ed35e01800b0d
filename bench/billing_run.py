"""Time the monthly billing run (#12, goal 2) on PostgreSQL at a utility's size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/abonent_billrun_bench \\
        .venv/bin/python bench/billing_run.py --accounts 1000000 --workers 2

Generates (once; ``--reset`` starts over) a tenant with N active household accounts, one
electricity meter each and two accepted readings per meter (the last one of September and one
in October 2026, 50–400 kWh apart, so about a third of the invoices have a second tariff block),
all with INSERT … SELECT over generate_series. Then deletes the invoices of earlier runs, starts
the October run and lets ``--workers`` processes work on it at once, each calling what the
Celery task calls (billing.run.chunks.work_on_run), and prints the time, the rate and a check
that a rerun changes nothing. Not part of the tests.
"""

import argparse
import datetime
import multiprocessing
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from billing.models import BillingRun, Invoice, InvoiceLine, InvoiceSequence, Tariff, TariffBlock  # noqa: E402
from billing.run.chunks import work_on_run  # noqa: E402
from billing.run.planning import CHUNK_ACCOUNTS, plan_chunks, run_progress  # noqa: E402
from meters.models import Meter, Reading, SubscriberAccount  # noqa: E402
from portal.models import Branch, Tenant  # noqa: E402

SLUG = "benchrun"
PERIOD = datetime.date(2026, 10, 1)
ISSUED_ON = datetime.date(2026, 11, 2)


def ensure_tenant():
    tenant, _created = Tenant.objects.get_or_create(
        slug=SLUG,
        defaults={
            "name": "Bench electricity",
            "country_code": "AZ",
            "default_language": "az",
            "timezone": "Asia/Baku",
            "currency": "AZN",
            "application_prefix": "BNR",
            "workflows": [],
        },
    )
    branch, _created = Branch.objects.get_or_create(tenant=tenant, code="B01", defaults={"name": "Bench branch"})
    if not Tariff.objects.filter(tenant=tenant).exists():
        # Azerishiq households: 8.4 qəpik/kWh up to 200 kWh a month, 10 above (VAT included).
        tariff = Tariff.objects.create(
            tenant=tenant,
            name="Electricity, households",
            service="electricity",
            category="household",
            unit="kWh",
            valid_from=datetime.date(2024, 1, 1),
            vat_rate=18,
            prices_include_vat=True,
        )
        TariffBlock.objects.create(tariff=tariff, up_to=200, price="0.084")
        TariffBlock.objects.create(tariff=tariff, up_to=None, price="0.10")
    return tenant, branch


def generate(tenant, branch, accounts):
    have = SubscriberAccount.objects.filter(tenant=tenant).count()
    if have >= accounts:
        print(f"{have} accounts already there")
        return
    started = time.perf_counter()
    a, m, r = SubscriberAccount._meta.db_table, Meter._meta.db_table, Reading._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {a} (tenant_id, code, holder_name, address, branch_id, category, organization_id,
                                 access_code, is_active, created_at)
                SELECT %s, (500000000 + n)::text, 'Holder ' || n, 'Street ' || (n %% 997) || ', house ' || n,
                       %s, 'household', NULL, upper(substr(md5(n::text), 1, 10)), true, now()
                FROM generate_series(%s, %s) AS n""",
            [tenant.pk, branch.pk, have + 1, accounts],
        )
        cursor.execute(
            f"""INSERT INTO {m} (tenant_id, account_id, serial_number, seal_number, kind, model, integer_digits,
                                 installed_on, initial_reading, status, service_point_id, replaces_id,
                                 verification_due_on)
                SELECT %s, a.id, 'E' || a.code, '', 'electricity', 'Bench meter', 6, DATE '2020-01-01', 0,
                       'active', NULL, NULL, NULL
                FROM {a} a WHERE a.tenant_id = %s AND NOT EXISTS (SELECT 1 FROM {m} m WHERE m.account_id = a.id)""",
            [tenant.pk, tenant.pk],
        )
        # Two readings a meter: the last of September and one in October, 50–400 kWh apart.
        cursor.execute(
            f"""INSERT INTO {r} (tenant_id, meter_id, value, reading_date, source, status, supersedes_id, photo,
                                 entered_by_id, created_at)
                SELECT %s, m.id, v.value, v.day, 'staff', 'accepted', NULL, '', NULL, now()
                FROM {m} m
                CROSS JOIN LATERAL (VALUES
                    (1000 + (m.id %% 5000)::numeric, DATE '2026-09-28'),
                    (1000 + (m.id %% 5000) + 50 + ((m.id * 7919) %% 351), DATE '2026-10-01' + (m.id %% 28)::int)
                ) AS v (value, day)
                WHERE m.tenant_id = %s AND NOT EXISTS (SELECT 1 FROM {r} x WHERE x.meter_id = m.id)""",
            [tenant.pk, tenant.pk],
        )
    for table in (a, m, r):
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    print(f"generated {accounts - have} accounts, meters and 2 readings each in {time.perf_counter() - started:.1f} s")


def delete_invoices(tenant):
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {InvoiceLine._meta.db_table} WHERE invoice_id IN "
            f"(SELECT id FROM {Invoice._meta.db_table} WHERE tenant_id = %s)",
            [tenant.pk],
        )
        cursor.execute(f"DELETE FROM {Invoice._meta.db_table} WHERE tenant_id = %s", [tenant.pk])
    BillingRun.objects.filter(tenant=tenant).delete()
    InvoiceSequence.objects.filter(tenant=tenant).delete()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {Invoice._meta.db_table}")
        cursor.execute(f"VACUUM ANALYZE {InvoiceLine._meta.db_table}")


def worker(run_id):
    from django.db import connection as worker_connection

    worker_connection.close()  # a fresh connection per process, never the parent's
    return work_on_run(run_id)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk-accounts", type=int, default=CHUNK_ACCOUNTS)
    parser.add_argument("--reset", action="store_true", help="delete the generated accounts first")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the bench measures the set-based path.")
    tenant, branch = ensure_tenant()
    delete_invoices(tenant)
    if args.reset:
        with connection.cursor() as cursor:
            for model in (Reading, Meter, SubscriberAccount):
                cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE tenant_id = %s", [tenant.pk])
    generate(tenant, branch, args.accounts)
    accounts = SubscriberAccount.objects.filter(tenant=tenant, is_active=True).count()

    started = time.perf_counter()
    run = BillingRun.objects.create(tenant=tenant, period=PERIOD, issued_on=ISSUED_ON)
    plan_chunks(run, chunk_accounts=args.chunk_accounts)
    planned = time.perf_counter()
    connection.close()
    with multiprocessing.get_context("fork").Pool(args.workers) as pool:
        written = pool.map(worker, [run.pk] * args.workers)
    elapsed = time.perf_counter() - started
    run.refresh_from_db()
    done, total, invoices, lines = run_progress(run)
    print(
        f"accounts {accounts}, workers {args.workers}, chunks {total} of {args.chunk_accounts} "
        f"(per worker {written}), planning {planned - started:.2f} s"
    )
    print(
        f"run: {invoices} invoices, {lines} lines in {elapsed:.1f} s = {invoices / elapsed:,.0f} invoices/s; "
        f"status {run.status}; load average {os.getloadavg()[0]:.1f}"
    )
    sequence = InvoiceSequence.objects.get(tenant=tenant, year=ISSUED_ON.year).last_value
    print(f"numbers 1…{sequence}, gap-free: {sequence == invoices}")

    again = time.perf_counter()
    run.chunks.update(done=False)  # every chunk again: each must find its accounts invoiced
    BillingRun.objects.filter(pk=run.pk).update(status=BillingRun.Status.RUNNING)
    work_on_run(run.pk)
    unchanged = Invoice.objects.filter(tenant=tenant).count() == invoices
    print(f"rerun over every chunk: {time.perf_counter() - again:.1f} s, nothing new formed: {unchanged}")


if __name__ == "__main__":
    main()
