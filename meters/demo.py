"""Demo data for W1: Azersu household accounts in Baku and Ganja with cold-water meters and two
years of monthly readings, so the readings flow, the staff review and the invoice can be walked.

Accounts and meters are keyed on their codes and serial numbers (update_or_create); readings are
written only for a meter that has none yet, because readings are append-only. Running
``manage.py seed_demo`` again leaves the same rows.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model

from meters.models import Meter, Reading, SubscriberAccount
from portal.dates import add_months
from portal.models import Branch, Tenant

# code, holder, address, branch code, [(serial, seal, reading at the start of the history)]
ACCOUNTS = [
    ("100200301", "Aysel Məmmədova", "Bakı, Nəsimi r., Füzuli küç. 45, m. 12", "nasimi",
     [("AZS-CW-701001", "PL-301001", "312.000")]),
    ("100200302", "Rəşad Əliyev", "Bakı, Yasamal r., Şərifzadə küç. 18, m. 7", "yasamal",
     [("AZS-CW-701002", "PL-301002", "1045.000"), ("AZS-CW-701003", "PL-301003", "87.000")]),
    ("100200303", "Leyla Hüseynova", "Bakı, Xətai r., Babək pr. 22, m. 40", "khatai",
     [("AZS-CW-701004", "PL-301004", "540.000")]),
    ("100200304", "Elçin Quliyev", "Gəncə, Kəpəz r., Atatürk pr. 11, m. 3", "ganja",
     [("AZS-CW-701005", "PL-301005", "220.000"), ("AZS-CW-701006", "PL-301006", "15.000")]),
    ("100200305", "Nərmin Abbasova", "Gəncə, Nizami r., Cavadxan küç. 64", "ganja",
     [("AZS-CW-701007", "PL-301007", "760.000")]),
]  # fmt: skip
CITIZEN_EMAIL = "citizen@abonent.local"
CITIZEN_ACCOUNT = "100200301"
HISTORY_MONTHS = 24
READING_DAY = 25
# A household uses about 8-12 m³ of cold water a month (two meters split it roughly 70/30).
MONTHLY_USE = (Decimal("8"), Decimal("12"))


def month_dates(today, months):
    """The reading day of each of the last ``months`` months, oldest first, none in the future."""
    last = 0 if today.day >= READING_DAY else -1
    return [add_months(today, last - back).replace(day=READING_DAY) for back in reversed(range(months))]


def seed_readings(meter, start_value, share, dates, rng):
    if meter.readings.exists():
        return 0
    value = Decimal(start_value)
    rows = []
    for day in dates:
        use = Decimal(rng.uniform(float(MONTHLY_USE[0]), float(MONTHLY_USE[1]))) * share
        value = (value + use).quantize(Decimal("0.001"))
        rows.append(
            Reading(
                tenant_id=meter.tenant_id,
                meter=meter,
                value=value,
                reading_date=day,
                source=Reading.Source.STAFF,
                status=Reading.Status.ACCEPTED,
            )
        )
    Reading.objects.bulk_create(rows)
    return len(rows)


def seed(stdout):
    tenant = Tenant.objects.filter(slug="azersu").first()
    if tenant is None:
        stdout.write("meters: no Azersu tenant, skipped")
        return []
    dates = month_dates(tenant.today(), HISTORY_MONTHS)
    installed_on = dates[0] - datetime.timedelta(days=30)
    stdout.write("Azersu subscriber codes for the readings demo:")
    for code, holder, address, branch_code, meters in ACCOUNTS:
        branch = Branch.objects.for_tenant(tenant).get(code=branch_code)
        account, _created = SubscriberAccount.objects.update_or_create(
            tenant=tenant,
            code=code,
            defaults={"holder_name": holder, "address": address, "branch": branch, "is_active": True},
        )
        rng = random.Random(code)  # the same history on every run
        shares = [Decimal("1")] if len(meters) == 1 else [Decimal("0.7"), Decimal("0.3")]
        for (serial, seal, start_value), share in zip(meters, shares, strict=True):
            meter, _created = Meter.objects.update_or_create(
                tenant=tenant,
                account=account,
                serial_number=serial,
                defaults={
                    "seal_number": seal,
                    "kind": Meter.Kind.COLD_WATER,
                    "model": "Itron Flodis DN15",
                    "installed_on": installed_on,
                    "initial_reading": Decimal(start_value),
                    "verification_due_on": installed_on + datetime.timedelta(days=6 * 365),
                },
            )
            seed_readings(meter, start_value, share, dates, rng)
        serials = ", ".join(serial for serial, _seal, _start in meters)
        stdout.write(f"  {code}  {holder}  ({branch.name}; meters {serials})")

    citizen = get_user_model().objects.filter(email=CITIZEN_EMAIL).first()
    if citizen is not None:
        SubscriberAccount.objects.for_tenant(tenant).get(code=CITIZEN_ACCOUNT).users.add(citizen)
        stdout.write(f"  {CITIZEN_EMAIL} sees account {CITIZEN_ACCOUNT} on his account page")
    return []
