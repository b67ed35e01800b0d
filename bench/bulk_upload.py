"""Times the cabinet's readings upload (issue #12, goal 4: 10,000 rows checked and saved in < 5 s).

    createdb -h 127.0.0.1 -U postgres abonent_bulk
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/abonent_bulk
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/bulk_upload.py --rows 10000

It builds (once; ``--reset`` rebuilds) a W5 tenant with one contract of N cold-water meters, each
with a year of monthly readings, and a member of the contract's organization; the contract's
deadline is put on today so the submission window is open. Then, for a CSV and an XLSX file of N
rows, through the real views in-process (Django's test client: every middleware, the session, the
templates; DEBUG off), it times and counts the queries of:

1. "Check the file" with a new reading for every meter (parse, every rule, the preview of N rows);
2. "Send" of that preview (N readings booked);
3. the same two steps with every figure raised by 1 (N corrections: each booked reading is
   superseded by a new one).

Before each format the contract's period rows and legal-entity readings are deleted, so every
format starts from the same state. Prints a markdown table and writes it to
bench/results/bulk-upload-<time>.md.
"""

import argparse
import datetime
import io
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
sys.path.insert(0, str(ROOT))

SLUG = "bulkbench"
EMAIL = "bulk-upload@abonent.local"
TAX_NUMBER = "189900000017"
CONTRACT_NUMBER = "BULK-1"
HEADER = ["Meter number", "Address", "Previous reading", "Previous reading date", "Current reading", "Date"]


def production_like_environment():
    if "DATABASE_URL" not in os.environ:
        sys.exit("Set DATABASE_URL to a PostgreSQL database (see the docstring).")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DEBUG": "0",
            "SECURE_SSL": "0",
            "ALLOWED_HOSTS": "testserver",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-" + "x" * 40,
            "LOG_LEVEL": "WARNING",
            "STATIC_ROOT": str(RESULTS / "static"),  # whitenoise's manifest, as bench/run.py collects it
        }
    )


def ensure_world(rows, history, reset):
    """The tenant, its contract of ``rows`` meters with ``history`` monthly readings each, and the
    member who uploads; returns (tenant, contract, user)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from accounts.models import Organization, OrganizationMembership
    from cabinet.models import CabinetSettings
    from meters.models import Contract, Meter, Reading, ServicePoint, SubscriberAccount
    from portal.dates import add_months, month_start
    from portal.models import Branch, Tenant, Workflow

    tenant = Tenant.objects.filter(slug=SLUG).first()
    if tenant is not None and reset:
        drop_world(tenant)
        tenant = None
    if tenant is None:
        started = time.perf_counter()
        with transaction.atomic():
            tenant = Tenant.objects.create(
                slug=SLUG,
                name="Bulk upload bench",
                country_code="RU",
                default_language="ru",
                timezone="Europe/Samara",
                currency="RUB",
                workflows=[Workflow.CONTRACT_CABINET],
            )
            CabinetSettings.objects.create(
                tenant=tenant, readings_meter_kinds=[Meter.Kind.COLD_WATER], readings_window=True
            )
            branch = Branch.objects.create(tenant=tenant, code="B1", name="Bench branch")
            organization, _created = Organization.objects.get_or_create(
                tax_number=TAX_NUMBER, defaults={"name": "Bulk Bench LLC", "legal_address": "Izhevsk"}
            )
            user, _created = get_user_model().objects.get_or_create(
                email=EMAIL, defaults={"full_name": "Bulk Bench", "email_confirmed": True}
            )
            OrganizationMembership.objects.get_or_create(
                organization=organization, user=user, defaults={"role": "owner"}
            )
            account = SubscriberAccount.objects.create(
                tenant=tenant,
                code="99000001",
                holder_name="Bulk Bench LLC",
                address="Izhevsk",
                branch=branch,
                category=SubscriberAccount.Category.LEGAL_ENTITY,
            )
            contract = Contract.objects.create(
                tenant=tenant,
                number=CONTRACT_NUMBER,
                account=account,
                tax_number=TAX_NUMBER,
                counterparty_name="Bulk Bench LLC",
                signed_on=datetime.date(2024, 1, 1),
                readings_deadline_day=8,
                organization=organization,
            )
            points = ServicePoint.objects.bulk_create(
                [
                    ServicePoint(tenant=tenant, contract=contract, address=f"г. Ижевск, ул. Пушкинская, д. {n + 1}")
                    for n in range(max(1, rows // 100))
                ]
            )
            meters = Meter.objects.bulk_create(
                [
                    Meter(
                        tenant=tenant,
                        account=account,
                        service_point=points[n % len(points)],
                        serial_number=f"ХВ-{n:06d}",
                        kind=Meter.Kind.COLD_WATER,
                        installed_on=datetime.date(2020, 1, 10),
                        verification_due_on=datetime.date(2030, 1, 10),
                    )
                    for n in range(rows)
                ],
                batch_size=5000,
            )
            first = add_months(month_start(tenant.today()), -history)
            readings = [
                Reading(
                    tenant=tenant,
                    meter=meter,
                    value=Decimal(100 + 10 * month),
                    reading_date=add_months(first, month).replace(day=5),
                    source=Reading.Source.STAFF,
                )
                for meter in meters
                for month in range(history)
            ]
            Reading.objects.bulk_create(readings, batch_size=5000)
        print(f"built {rows} meters, {len(readings)} readings in {time.perf_counter() - started:.1f} s", flush=True)
    contract = Contract.objects.get(tenant=tenant, number=CONTRACT_NUMBER)
    count = contract.account.meters.count()
    if count != rows:
        sys.exit(f"The bench contract has {count} meters, not {rows}: run with --reset.")
    # The window is open today: the deadline is today (the window is the deadline and the 2 days before).
    contract.readings_deadline_day = tenant.today().day
    contract.save(update_fields=["readings_deadline_day"])
    return tenant, contract, get_user_model().objects.get(email=EMAIL)


def drop_world(tenant):
    from django.db import connection, transaction

    from cabinet.models import CabinetSettings, PeriodReading
    from meters.models import Contract, Meter, Reading, ServicePoint, SubscriberAccount
    from portal.models import Branch

    with transaction.atomic():
        clear_submissions(tenant)
        for model in (Reading, PeriodReading, Meter, ServicePoint, Contract, SubscriberAccount, Branch):
            model.objects.filter(tenant=tenant)._raw_delete(connection.alias)
        CabinetSettings.objects.filter(tenant=tenant).delete()
        tenant.delete()


def clear_submissions(tenant):
    """Back to the state before any upload: no period rows, no legal-entity readings, the staff
    readings accepted again."""
    from django.db import connection, transaction

    from cabinet.models import PeriodReading
    from meters.models import Reading

    with transaction.atomic():
        PeriodReading.objects.filter(tenant=tenant)._raw_delete(connection.alias)
        # One statement: PostgreSQL checks the supersedes foreign key at commit (deferred).
        Reading.objects.filter(tenant=tenant, source=Reading.Source.LEGAL_ENTITY)._raw_delete(connection.alias)
        Reading.objects.filter(tenant=tenant).exclude(status=Reading.Status.ACCEPTED).update(
            status=Reading.Status.ACCEPTED
        )
    with connection.cursor() as cursor:
        for table in ("meters_reading", "meters_periodreading", "meters_meter", "meters_servicepoint"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")


def file_of(contract, fmt, bump):
    """A filled template of ``contract`` for today: every meter's previous reading + 5 + ``bump``."""
    from openpyxl import Workbook

    from cabinet.services.period_readings import meter_rows

    today = contract.tenant.today()
    rows = meter_rows(tenant=contract.tenant, contract=contract, period=today.replace(day=1), today=today)
    date = today.strftime("%d.%m.%Y")
    lines = [
        [row.meter.serial_number, row.meter.service_point.address, f"{row.previous_value.normalize():f}",
         row.previous_date.strftime("%d.%m.%Y"), f"{(row.previous_value + 5 + bump).normalize():f}", date]
        for row in rows
    ]  # fmt: skip
    if fmt == "csv":
        text = "\r\n".join(";".join(line) for line in [HEADER, *lines])
        return "\ufeff".encode() + text.encode()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Readings")
    for line in [HEADER, *lines]:
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def timed(step, call):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        response = call()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    database = sum(float(query["time"]) for query in queries.captured_queries)
    return response, {"step": step, "seconds": seconds, "cpu": cpu, "db": database, "queries": len(queries)}


def upload_and_send(client, tenant, contract, fmt, bump, label):
    """Check a file, then send its preview; the two measurements."""
    import re

    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.urls_helpers import tenant_reverse

    url = tenant_reverse(tenant, "cabinet:readings_upload", kwargs={"contract_id": contract.pk})
    period = f"{tenant.today():%Y-%m}"
    content = file_of(contract, fmt, bump)
    upload = SimpleUploadedFile(f"readings.{fmt}", content)
    preview, check = timed(
        f"{label}: check the file ({fmt.upper()}, {len(content) / 1024 / 1024:.2f} MB) and render the preview",
        lambda: client.post(url, {"action": "check", "period": period, "file": upload}),
    )
    token = re.search(r'name="token" value="([^"]+)"', preview.content.decode())
    if preview.status_code != 200 or token is None:
        sys.exit(f"The preview has nothing to send (status {preview.status_code}); is the window open?")
    sent, send = timed(
        f"{label}: send",
        lambda: client.post(url, {"action": "send", "period": period, "token": token.group(1)}),
    )
    if sent.status_code != 302:
        sys.exit(f"Send answered {sent.status_code}, not a redirect.")
    return [check, send]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000, help="meters on the contract = rows of the file")
    parser.add_argument("--history", type=int, default=12, help="monthly readings per meter before the upload")
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--reset", action="store_true", help="rebuild the bench tenant")
    args = parser.parse_args()
    production_like_environment()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from cabinet.services.saving_readings import CHUNK_SIZE
    from meters.models import Reading

    if connection.vendor != "postgresql":
        sys.exit("The goal is measured on PostgreSQL.")
    call_command("collectstatic", interactive=False, verbosity=0)
    tenant, contract, user = ensure_world(args.rows, args.history, args.reset)
    client = Client()
    client.force_login(user)
    results = []
    for fmt in args.formats.split(","):
        clear_submissions(tenant)
        results += upload_and_send(client, tenant, contract, fmt, 0, "new readings")
        booked = Reading.objects.filter(tenant=tenant, source=Reading.Source.LEGAL_ENTITY).count()
        results += upload_and_send(client, tenant, contract, fmt, 1, "corrections")
        superseded = Reading.objects.filter(tenant=tenant, status=Reading.Status.SUPERSEDED).count()
        if booked != args.rows or superseded != args.rows:
            sys.exit(f"{fmt}: {booked} readings booked and {superseded} superseded, expected {args.rows} each.")
    report = render(args, results, CHUNK_SIZE)
    print(report)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"bulk-upload-{datetime.datetime.now():%Y%m%d-%H%M%S}.md"
    path.write_text(report)
    print(f"written to {path}")


def render(args, results, chunk_size):
    import subprocess

    from django.db import connection

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    lines = [
        f"Bulk readings upload, {args.rows} rows, {args.history} readings per meter before; "
        f"PostgreSQL {connection.pg_version // 10000}; chunk {chunk_size} meters; commit {commit.stdout.strip()}; "
        f"load average {os.getloadavg()[0]:.1f} after the run",
        "",
        "| step | seconds | rows/s | Python CPU s | in queries s | queries |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        rate = args.rows / result["seconds"]
        lines.append(
            f"| {result['step']} | {result['seconds']:.2f} | {rate:,.0f} | {result['cpu']:.2f} | {result['db']:.2f} "
            f"| {result['queries']} |"
        )
    for index in range(0, len(results), 2):
        check, send = results[index], results[index + 1]
        total = check["seconds"] + send["seconds"]
        lines.append(f"| **{check['step'].split(' and render')[0]} + send** | **{total:.2f}** | | | | |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
