"""Bench data: N subscriber accounts, ~1.3 meters each, M monthly readings spread over the meters.

    DJANGO_SETTINGS_MODULE=portal.settings DATABASE_URL=postgres://postgres@127.0.0.1:5432/abonent_bench \\
        .venv/bin/python bench/generate.py --accounts 100000 --readings 10000000 --tenant azersu

On PostgreSQL rows go in with COPY (psycopg 3 ``cursor.copy()``), one transaction per batch; on SQLite
with bulk_create in batches of 10k. Then VACUUM ANALYZE, so the planner sees the real sizes.

Besides the bulk rows it keeps two accounts for the pages under test, both reachable by the bench
user: SMALL_CODE (2 meters x 24 readings: the usual household) and LARGE_CODE (50 meters x 24).
Re-running reuses what exists; ``--reset`` deletes the bulk rows first.
"""

import argparse
import datetime
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from meters.models import Meter, Reading, SubscriberAccount  # noqa: E402
from portal import demo  # noqa: E402
from portal.models import Branch, Tenant, Workflow  # noqa: E402

# Bulk accounts are 97 + 10 digits; the two page accounts 98...: never a demo or real code.
BULK_PREFIX = "97"
SMALL_CODE = "980000000002"
LARGE_CODE = "980000000050"
BENCH_EMAIL = "bench@abonent.local"
BENCH_PASSWORD = "bench-pass-2026-x"
COPY_BATCH = 200_000
ORM_BATCH = 10_000

FIRST_NAMES = ["Elnur", "Günel", "Rəşad", "Aygün", "Kamran", "Leyla", "Tural", "Nigar", "Orxan", "Səbinə"]
LAST_NAMES = ["Hüseynov", "Quliyeva", "Məmmədov", "Əliyeva", "İsmayılov", "Həsənova", "Abbasov", "Rzayeva"]
STREETS = ["Nizami küç.", "Füzuli küç.", "Azadlıq pr.", "Təbriz küç.", "Nobel pr.", "Həsən bəy Zərdabi küç."]
ACCOUNT_COLUMNS = [
    "tenant_id", "code", "holder_name", "address", "branch_id", "category", "access_code", "is_active", "created_at"
]  # fmt: skip
METER_COLUMNS = [
    "tenant_id",
    "account_id",
    "serial_number",
    "seal_number",
    "kind",
    "model",
    "integer_digits",
    "installed_on",
    "initial_reading",
    "verification_due_on",
    "status",
]
READING_COLUMNS = ["tenant_id", "meter_id", "value", "reading_date", "source", "status", "photo", "created_at"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--readings", type=int, default=50_000)
    parser.add_argument("--tenant", default="azersu")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reset", action="store_true", help="delete the bulk rows of earlier runs first")
    parser.add_argument(
        "--archive-readings", type=int, default=9_000_000, help="readings of the archive contract (W5 archive)"
    )
    args = parser.parse_args()

    rng = random.Random(args.seed)
    tenant, branch_ids = ensure_tenant(args.tenant)
    started = time.monotonic()
    if args.reset:
        delete_bulk(tenant)
    existing = SubscriberAccount.objects.for_tenant(tenant).filter(code__startswith=BULK_PREFIX).count()
    if existing:
        print(f"reusing {existing} bulk accounts of {tenant.slug} (--reset to regenerate)")
    else:
        generate_bulk(tenant, branch_ids, args.accounts, args.readings, rng)
    ensure_page_accounts(tenant, branch_ids[0], rng)
    ensure_cabinet(tenant, branch_ids[0], args.archive_readings)
    ensure_applications(tenant)
    analyze()
    print(f"done in {time.monotonic() - started:.0f} s; " + ", ".join(f"{k}: {v}" for k, v in table_sizes().items()))


def ensure_tenant(slug):
    data = next((t for t in demo.TENANTS if t["slug"] == slug), None) or {
        "slug": slug,
        "name": slug.capitalize(),
        "country_code": "AZ",
        "default_language": "az",
        "currency": "AZN",
    }
    defaults = {key: value for key, value in data.items() if key not in ("slug", "workflows")}
    tenant, _ = Tenant.objects.get_or_create(slug=slug, defaults=defaults)
    if not tenant.offers(Workflow.METER_READINGS):
        tenant.workflows = [*tenant.workflows, str(Workflow.METER_READINGS)]
        tenant.save(update_fields=["workflows"])
    rows = demo.BRANCHES.get(slug) or [(f"bench-{i}", f"Bench branch {i}", "", False) for i in range(1, 4)]
    for code, name, region, short in rows:
        Branch.objects.get_or_create(
            tenant=tenant, code=code, defaults={"name": name, "region": region, "short_lab_delivery_term": short}
        )
    return tenant, list(Branch.objects.for_tenant(tenant).order_by("pk").values_list("pk", flat=True))


def month_dates(count, today):
    """The 25th of each of the ``count`` months before this one, newest first."""
    dates, year, month = [], today.year, today.month
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        dates.append(datetime.date(year, month, 25))
    return dates


def generate_bulk(tenant, branch_ids, accounts, readings, rng):
    now = timezone.now().isoformat()
    today = timezone.localdate()

    def account_rows():
        for n in range(accounts):
            holder = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            address = f"{rng.choice(STREETS)} {rng.randint(1, 200)}, mənzil {rng.randint(1, 120)}"
            code = f"{BULK_PREFIX}{n:010d}"
            yield (tenant.pk, code, holder, address, rng.choice(branch_ids), "household", f"B{n:09d}", True, now)

    load("accounts", SubscriberAccount, ACCOUNT_COLUMNS, account_rows(), accounts)
    account_ids = list(
        SubscriberAccount.objects.for_tenant(tenant)
        .filter(code__startswith=BULK_PREFIX)
        .order_by("code")
        .values_list("pk", flat=True)
    )
    # Two meters on every third account (cold and hot water), one elsewhere: ~1.33 per account.
    plan = [(account_id, kind) for i, account_id in enumerate(account_ids) for kind in meter_kinds(i)]
    per_meter, extra = divmod(readings, len(plan))
    dates = month_dates(per_meter + 1, today)

    def meter_rows():
        for n, (account_id, kind) in enumerate(plan):
            count = per_meter + (n < extra)
            installed = dates[count - 1] - datetime.timedelta(days=20)
            yield (tenant.pk, account_id, f"SN{n:08d}", f"PL{n:08d}", kind, "Itron Flodis DN15", 5, installed, "0.000",
                   installed.replace(year=installed.year + 6), "active")  # fmt: skip

    load("meters", Meter, METER_COLUMNS, meter_rows(), len(plan))
    meter_ids = list(
        Meter.objects.for_tenant(tenant)
        .filter(account__code__startswith=BULK_PREFIX)
        .order_by("serial_number")
        .values_list("pk", flat=True)
    )

    def reading_rows():
        for n, meter_id in enumerate(meter_ids):
            count = per_meter + (n < extra)
            value = rng.uniform(0, 500)
            for date in reversed(dates[:count]):
                value += rng.uniform(4, 14)  # m³ a month, a household's usual range
                yield (tenant.pk, meter_id, f"{value:.3f}", date, "staff", "accepted", "", now)

    load("readings", Reading, READING_COLUMNS, reading_rows(), readings)


def meter_kinds(index):
    return ["cold_water", "hot_water"] if index % 3 == 0 else ["cold_water"]


def load(label, model, columns, rows, total):
    started = time.monotonic()
    if connection.vendor == "postgresql":
        copy_rows(model, columns, rows, total, label, started)
    else:
        orm_rows(model, columns, rows, total, label, started)
    elapsed = time.monotonic() - started
    print(f"{label}: {total} rows in {elapsed:.1f} s = {total / max(elapsed, 1e-9):,.0f} rows/s", flush=True)


def copy_rows(model, columns, rows, total, label, started):
    sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
    done, batch = 0, []
    for row in rows:
        batch.append("\t".join(map(str, row)))
        if len(batch) == COPY_BATCH:
            done += copy_batch(sql, batch)
            progress(label, done, total, started)
    if batch:
        copy_batch(sql, batch)


def copy_batch(sql, batch):
    with transaction.atomic(), connection.cursor() as cursor:
        # Every foreign key points at a row this script just wrote or looked up, so the deferred
        # per-row FK triggers (a third of the load time) are skipped; needs a superuser, else kept.
        replica_role(cursor)
        cursor.execute("SET LOCAL synchronous_commit = off")
        with cursor.copy(sql) as copy:
            copy.write("\n".join(batch) + "\n")
    count = len(batch)
    batch.clear()
    return count


def replica_role(cursor):
    cursor.execute("SAVEPOINT replica")
    try:
        cursor.execute("SET LOCAL session_replication_role = replica")
    except Exception:
        cursor.execute("ROLLBACK TO SAVEPOINT replica")


def orm_rows(model, columns, rows, total, label, started):
    done, batch = 0, []
    for row in rows:
        values = dict(zip(columns, row, strict=True))
        batch.append(model(**values))
        if len(batch) == ORM_BATCH:
            model.objects.bulk_create(batch)
            done += len(batch)
            batch.clear()
            progress(label, done, total, started)
    model.objects.bulk_create(batch)


def progress(label, done, total, started):
    if done % (COPY_BATCH * 10) == 0 or done == total:
        rate = done / max(time.monotonic() - started, 1e-9)
        print(f"  {label}: {done:,}/{total:,} ({rate:,.0f} rows/s)", flush=True)


def delete_bulk(tenant):
    started = time.monotonic()
    bulk_meters = Meter.objects.for_tenant(tenant).filter(account__code__startswith=BULK_PREFIX)
    Reading.objects.filter(meter__in=bulk_meters)._raw_delete(connection.alias)
    bulk_meters._raw_delete(connection.alias)
    SubscriberAccount.objects.for_tenant(tenant).filter(code__startswith=BULK_PREFIX)._raw_delete(connection.alias)
    print(f"deleted earlier bulk rows in {time.monotonic() - started:.0f} s")


@transaction.atomic
def ensure_page_accounts(tenant, branch_id, rng):
    """The accounts whose pages are measured, with the bench user given access to both."""
    user, _ = get_user_model().objects.get_or_create(
        email=BENCH_EMAIL, defaults={"full_name": "Bench Citizen", "email_confirmed": True}
    )
    user.set_password(BENCH_PASSWORD)
    user.save(update_fields=["password"])
    today = timezone.localdate()
    for code, meters in ((SMALL_CODE, 2), (LARGE_CODE, 50)):
        account, created = SubscriberAccount.objects.get_or_create(
            tenant=tenant,
            code=code,
            defaults={"holder_name": "Bench Citizen", "address": "Nizami küç. 1, mənzil 1", "branch_id": branch_id},
        )
        account.users.add(user)
        if not created:
            continue
        dates = list(reversed(month_dates(24, today)))
        for n in range(meters):
            meter = Meter.objects.create(
                tenant=tenant,
                account=account,
                serial_number=f"BN{code[-2:]}{n:04d}",
                seal_number=f"BP{code[-2:]}{n:04d}",
                kind=Meter.Kind.COLD_WATER if n % 2 == 0 else Meter.Kind.HOT_WATER,
                installed_on=dates[0] - datetime.timedelta(days=20),
            )
            value = Decimal(rng.randint(0, 500))
            rows = []
            for date in dates:
                value += Decimal(rng.randint(4000, 14000)) / 1000
                rows.append(Reading(tenant=tenant, meter=meter, value=value, reading_date=date, source="staff"))
            Reading.objects.bulk_create(rows)
    print(f"page accounts {SMALL_CODE} (2 meters), {LARGE_CODE} (50 meters); user {BENCH_EMAIL}")


ORG_TAX_NUMBER = "9800000001"
SMALL_CONTRACT = "BENCH-2"
ARCHIVE_CONTRACT = "BENCH-ARCHIVE"
ARCHIVE_METERS = 1000
APPLICATIONS = 30


def ensure_cabinet(tenant, branch_id, archive_readings):
    """The bench user's company with two contracts on the tenant's cabinet (W4: every meter, no window):
    SMALL_CONTRACT with 2 meters (the cabinet readings page) and ARCHIVE_CONTRACT with ARCHIVE_METERS
    meters and ``archive_readings`` daily readings among them (the archive), inserted with
    INSERT … SELECT generate_series on PostgreSQL."""
    from accounts.models import Organization, OrganizationMembership
    from cabinet.models import CabinetSettings
    from meters.models import Contract, ServicePoint

    if not tenant.offers(Workflow.LEGAL_CABINET):
        tenant.workflows = [*tenant.workflows, str(Workflow.LEGAL_CABINET)]
        tenant.save(update_fields=["workflows"])
    CabinetSettings.objects.update_or_create(
        tenant=tenant, defaults={"readings_meter_kinds": [], "readings_window": False}
    )
    user = get_user_model().objects.get(email=BENCH_EMAIL)
    organization, _ = Organization.objects.get_or_create(
        tax_number=ORG_TAX_NUMBER, defaults={"name": "Bench Industries LLC", "legal_address": "Nizami küç. 1"}
    )
    OrganizationMembership.objects.get_or_create(
        organization=organization, user=user, defaults={"role": OrganizationMembership.Role.OWNER}
    )
    today = timezone.localdate()
    for number, meters in ((SMALL_CONTRACT, 2), (ARCHIVE_CONTRACT, ARCHIVE_METERS)):
        if Contract.objects.for_tenant(tenant).filter(number=number).exists():
            continue
        with transaction.atomic():
            account = SubscriberAccount.objects.create(
                tenant=tenant, code=f"98LE{number[-2:]}", holder_name="Bench Industries LLC", address="Nizami küç. 1",
                branch_id=branch_id, category=SubscriberAccount.Category.LEGAL_ENTITY,
            )  # fmt: skip
            contract = Contract.objects.create(
                tenant=tenant, number=number, account=account, tax_number=ORG_TAX_NUMBER,
                counterparty_name=organization.name, signed_on=today.replace(year=today.year - 30),
                readings_deadline_day=25, organization=organization,
            )  # fmt: skip
            point = ServicePoint.objects.create(tenant=tenant, contract=contract, address="Nizami küç. 1, sex 2")
            installed = today.replace(year=today.year - 30)
            Meter.objects.bulk_create(
                Meter(
                    tenant=tenant,
                    account=account,
                    service_point=point,
                    serial_number=f"BC{number[-2:]}{n:05d}",
                    kind=Meter.Kind.COLD_WATER,
                    installed_on=installed,
                )  # fmt: skip
                for n in range(meters)
            )
            if number == SMALL_CONTRACT:
                dates = list(reversed(month_dates(24, today)))
                Reading.objects.bulk_create(
                    Reading(tenant=tenant, meter=meter, value=Decimal(10 * i), reading_date=day, source="staff")
                    for meter in Meter.objects.filter(account=account)
                    for i, day in enumerate(dates, start=1)
                )
            else:
                insert_archive_readings(tenant, contract, account, archive_readings // meters)
    print(f"cabinet: contracts {SMALL_CONTRACT} (2 meters), {ARCHIVE_CONTRACT} ({ARCHIVE_METERS} meters)", flush=True)


def insert_archive_readings(tenant, contract, account, per_meter):
    """One reading a day and meter, the newest yesterday: per_meter days back (9,000 days ≈ 25 years)."""
    started = time.monotonic()
    meter_ids = list(Meter.objects.filter(account=account).values_list("pk", flat=True))
    now = timezone.now()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    if connection.vendor != "postgresql":
        for meter_id in meter_ids:
            Reading.objects.bulk_create(
                (Reading(tenant=tenant, meter_id=meter_id, contract=contract, value=Decimal(per_meter - d),
                         reading_date=yesterday - datetime.timedelta(days=d), source="staff")
                 for d in range(per_meter)), batch_size=ORM_BATCH,
            )  # fmt: skip
        return
    step = max(1, 1_000_000 // max(per_meter, 1))  # about a million rows a statement
    for first in range(0, len(meter_ids), step):
        with transaction.atomic(), connection.cursor() as cursor:
            replica_role(cursor)
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute(
                """
                INSERT INTO meters_reading
                    (tenant_id, meter_id, contract_id, value, reading_date, source, status, photo, created_at)
                SELECT %s, m, %s, (%s - d)::numeric, %s::date - d, 'staff', 'accepted', '', %s
                FROM unnest(%s::bigint[]) AS m, generate_series(0, %s - 1) AS d
                """,
                [tenant.pk, contract.pk, per_meter, yesterday, now, meter_ids[first : first + step], per_meter],
            )
    total = per_meter * len(meter_ids)
    elapsed = time.monotonic() - started
    print(f"archive readings: {total:,} rows in {elapsed:.1f} s = {total / max(elapsed, 1e-9):,.0f} rows/s", flush=True)


def ensure_applications(tenant):
    """APPLICATIONS claims of the bench user (My applications), opened through the service."""
    from applications.models import Application
    from applications.services import open_application

    user = get_user_model().objects.get(email=BENCH_EMAIL)
    account = SubscriberAccount.objects.get(tenant=tenant, code=SMALL_CODE)
    for n in range(Application.objects.filter(applicant=user).count(), APPLICATIONS):
        open_application(
            tenant=tenant, kind_code="claim", applicant=user, idempotency_key=f"bench-{n}", language="az",
            account=account, contact_email=BENCH_EMAIL, notes="Bench",
        )  # fmt: skip


def analyze():
    tables = [m._meta.db_table for m in (SubscriberAccount, Meter, Reading)] + ["meters_subscriberaccount_users"]
    with connection.cursor() as cursor:
        for table in tables:
            # VACUUM also fills the visibility map, as autovacuum would on a live table.
            cursor.execute(f"VACUUM (ANALYZE) {table}" if connection.vendor == "postgresql" else f"ANALYZE {table}")


def table_sizes():
    return {
        "accounts": SubscriberAccount.objects.count(),
        "meters": Meter.objects.count(),
        "readings": Reading.objects.count(),
    }


if __name__ == "__main__":
    main()
