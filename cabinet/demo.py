"""Demo contracts of the legal-entity cabinets.

Izhvodokanal (W5): two contracts of the demo legal user's organization (portal/demo.py creates it
for legal@abonent.local). The first, ИВК-0815/2024, gets a readings deadline day chosen from today
so that its submission window is open on the day of the seeding (W5 can be tried at once); the
second has deadline day 6. The first is linked to the organization; the
second is left unlinked so the demo can link it by tax number and contract number. Both have
connection points with cold- and hot-water meters and 18 months of readings.
Uzbekenergo (W4): one contract of the same organization (organizations are not tenant-owned) with
electricity meters and their readings, linked.

Each cabinet tenant gets its CabinetSettings: Izhvodokanal takes cold-water readings only (hot
water goes in as volumes), Uzbekenergo every meter.

Rows are keyed on their numbers (update_or_create); readings are written only for a meter that has
none yet, because readings are append-only. Running ``manage.py seed_demo`` again changes nothing.
"""

import datetime
import random
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.utils import timezone

from cabinet import demo_billing
from cabinet.models import CabinetSettings, ContractLink
from cabinet.windows import submission_window
from meters import demo as household_demo
from meters.models import Contract, Meter, Reading, ServicePoint, SubscriberAccount
from portal.dates import add_months
from portal.models import Branch, Tenant
from portal.workdays import calendar_for

LEGAL_EMAIL = "legal@abonent.local"
HISTORY_MONTHS = 18

COLD, HOT, POWER = Meter.Kind.COLD_WATER, Meter.Kind.HOT_WATER, Meter.Kind.ELECTRICITY
# Monthly use of a small industrial site: cold water, hot water (m³), electricity (kWh).
MONTHLY_USE = {COLD: (30, 80), HOT: (8, 25), POWER: (2500, 4500)}
MODELS = {COLD: "Бетар СХВ-20", HOT: "Бетар СГВ-15", POWER: "Mercury 230 ART"}

# The readings deadline day of the demo contract whose window is open on the day of the seeding.
OPEN_TODAY = "open today"

# tenant, contract number, account code, branch code, deadline days (readings, hot water), linked,
# [(connection point address, [(kind, serial, start value)])]
CONTRACTS = [
    ("izhvodokanal", "ИВК-0815/2024", "IZH-LE-0815", "industrialny", (OPEN_TODAY, 6), True, [
        ("Ижевск, ул. Пушкинская, 154", [(COLD, "ХВ-2208154", "4120"), (HOT, "ГВ-2208155", "960")]),
        ("Ижевск, ул. Удмуртская, 255, склад", [(COLD, "ХВ-2208160", "1873")]),
    ]),
    ("izhvodokanal", "ИВК-0622/2025", "IZH-LE-0622", "leninsky", (6, 6), False, [
        ("Ижевск, ул. Воткинское шоссе, 170", [(COLD, "ХВ-2311042", "732"), (HOT, "ГВ-2311043", "215")]),
    ]),
    ("uzbekenergo", "UE-2024-0173", "UE-LE-0173", "tashkent-city", (5, None), True, [
        ("Toshkent, Chilonzor tumani, Bunyodkor ko'chasi 12", [(POWER, "ME-230-118733", "48210")]),
        ("Toshkent, Yunusobod tumani, Amir Temur shoh ko'chasi 108", [(POWER, "ME-230-118790", "15044")]),
    ]),
]  # fmt: skip


# tenant → meter kinds its readings page takes (empty: every meter), readings only in a window
CABINET_SETTINGS = {"izhvodokanal": ([COLD], True), "uzbekenergo": ([], False)}


def seed_cabinet_settings():
    for slug, (kinds, window) in CABINET_SETTINGS.items():
        tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is not None:
            CabinetSettings.objects.update_or_create(
                tenant=tenant, defaults={"readings_meter_kinds": list(kinds), "readings_window": window}
            )


def seed_readings(meter, start_value, dates, rng):
    if meter.readings.exists():
        return
    low, high = MONTHLY_USE[meter.kind]
    value = Decimal(start_value)
    rows = []
    for day in dates:
        value += rng.randint(low, high)  # whole units: what the cabinet accepts
        rows.append(Reading(tenant_id=meter.tenant_id, meter=meter, value=value, reading_date=day,
                            source=Reading.Source.STAFF, status=Reading.Status.ACCEPTED))  # fmt: skip
    Reading.objects.bulk_create(rows)


def link(contract, organization, user):
    contract.organization = organization
    contract.save(update_fields=["organization"])
    if not contract.links.filter(status__in=[ContractLink.Status.PENDING, ContractLink.Status.ACTIVE]).exists():
        ContractLink.objects.create(
            tenant=contract.tenant,
            contract=contract,
            organization=organization,
            requested_by=user,
            status=ContractLink.Status.ACTIVE,
            decided_at=timezone.now(),
        )


def deadline_day_open_on(tenant, today):
    """A readings deadline day whose submission window (of last month's or this month's readings)
    contains ``today``; None when none does (a run of days off, such as the New Year holidays)."""
    calendar = calendar_for(tenant)
    for deadline_day in range(1, 29):
        contract = SimpleNamespace(tenant=tenant, readings_deadline_day=deadline_day, hot_water_deadline_day=None)
        for period in (add_months(today.replace(day=1), -1), today.replace(day=1)):
            if submission_window(contract, period, calendar=calendar).contains(today):
                return deadline_day
    return None


def seed_contract(tenant, organization, user, spec):
    _slug, number, code, branch_code, (deadline, hot_deadline), linked, points = spec
    today = tenant.today()
    if deadline == OPEN_TODAY:
        deadline = deadline_day_open_on(tenant, today) or 8
    dates = household_demo.month_dates(today, HISTORY_MONTHS)
    installed_on = dates[0] - datetime.timedelta(days=30)
    account, _created = SubscriberAccount.objects.update_or_create(
        tenant=tenant,
        code=code,
        defaults={
            "holder_name": organization.name,
            "address": organization.legal_address,
            "branch": Branch.objects.for_tenant(tenant).get(code=branch_code),
            "category": SubscriberAccount.Category.LEGAL_ENTITY,
            "organization": organization,
        },
    )
    contract, _created = Contract.objects.update_or_create(
        tenant=tenant,
        number=number,
        defaults={
            "account": account,
            "tax_number": organization.tax_number,
            "counterparty_name": organization.name,
            "signed_on": installed_on,
            "readings_deadline_day": deadline,
            "hot_water_deadline_day": hot_deadline,
        },
    )
    if linked:
        link(contract, organization, user)
    rng = random.Random(number)  # the same history on every run
    for address, meters in points:
        point, _created = ServicePoint.objects.get_or_create(tenant=tenant, contract=contract, address=address)
        for kind, serial, start in meters:
            meter, _created = Meter.objects.update_or_create(
                tenant=tenant,
                account=account,
                serial_number=serial,
                defaults={
                    "kind": kind,
                    "model": MODELS[kind],
                    "installed_on": installed_on,
                    "initial_reading": Decimal(start),
                    "service_point": point,
                    # One meter's verification is overdue, so the cabinet's flag shows.
                    "verification_due_on": today - datetime.timedelta(days=20)
                    if serial == "ХВ-2208160"
                    else installed_on + datetime.timedelta(days=6 * 365),
                },
            )
            seed_readings(meter, start, dates, rng)
    return contract


def seed(stdout):
    seed_cabinet_settings()
    user = get_user_model().objects.filter(email=LEGAL_EMAIL).first()
    organization = user.organizations.first() if user is not None else None
    if organization is None:
        stdout.write(f"cabinet: no organization of {LEGAL_EMAIL}, cabinet contracts skipped")
        return []
    for spec in CONTRACTS:
        tenant = Tenant.objects.filter(slug=spec[0]).first()
        if tenant is None:
            continue
        contract = seed_contract(tenant, organization, user, spec)
        state = "linked to" if spec[5] else "NOT linked — link it in the cabinet with tax number"
        open_now = spec[4][0] == OPEN_TODAY and deadline_day_open_on(tenant, tenant.today()) is not None
        stdout.write(
            f"  {tenant.slug}: contract {contract.number} {state} "
            f"{organization.tax_number if not spec[5] else organization.name} "
            f"(readings deadline day {contract.readings_deadline_day}"
            + ("; the submission window is open today: try W5 on this contract)" if open_now else ")")
        )
    # Their invoices and payments are formed from the readings seeded above.
    demo_billing.seed(stdout)
    return []
