"""Demo tariffs: the published prices of the demo utilities (sources cited next to each figure,
as collected in shared/reference/domain-figures.md).

Keyed on (tenant, name, valid from) and written with update_or_create, blocks and branches
replaced, so ``manage.py seed_demo`` can run any number of times and leaves the same rows.
"""

import datetime
from decimal import Decimal

from billing.models import Service, Tariff, TariffBlock
from portal.models import Branch, Tenant

HOUSEHOLD = Tariff.Category.HOUSEHOLD
LEGAL_ENTITY = Tariff.Category.LEGAL_ENTITY

# Azersu's higher household water price applies in Baku, Sumgayit, Khirdalan and Absheron; the
# demo branches carry these regions (Khirdalan is the seat of the Absheron district).
AZERSU_HIGHER_PRICE_REGIONS = {"Bakı", "Sumqayıt", "Xırdalan", "Abşeron"}

AZERSU_SOURCE = (
    "Tariff Council of Azerbaijan, Resolution No. 5 of 2021-01-30, in force from 2021-02-01 "
    "(trend.az 2021-02-01 'Azerbaijani Tariff Council holds meeting, approves Azersu company's appeal'; "
    "azernews.az business/175706)"
)
AZERISHIQ_SOURCE = "Tariff Council of Azerbaijan, Decision No. 19 of 2024-12-29 (azerishiq.az FAQ)"
UZ_SOURCE = "Resolution of the Cabinet of Ministers of Uzbekistan PKM-194, from 2025-05-01"
IZH_WATER_SOURCE = "Izhvodokanal cold water tariff from 2024-07-01 (izhlife.ru, 2024-06-14)"
IZH_DEMO_SOURCE = "Demo figure: no published price found — replace it in the admin"
IZH_WASTEWATER_SOURCE = "Wastewater tariffs of Izhvodokanal for 2024–2026 (docs.cntd.ru 406978763)"


def tariff(
    name,
    service,
    category,
    valid_from,
    blocks,
    *,
    unit="m³",
    vat="18",
    included=True,
    valid_to=None,
    regions=None,
    source="",
):
    return {
        "name": name, "service": service, "category": category, "valid_from": valid_from, "valid_to": valid_to,
        "blocks": blocks, "unit": unit, "vat_rate": Decimal(vat), "prices_include_vat": included,
        "regions": regions, "source": source,
    }  # fmt: skip


D = datetime.date


VAT_22_FROM = D(2026, 1, 1)


def split_at_vat_change(name, service, category, valid_from, valid_to, price, *, included, source):
    """One row per VAT rate: 20 % before 2026, 22 % from 2026-01-01."""
    rows = []
    if valid_from < VAT_22_FROM:
        until = (
            valid_to if valid_to is not None and valid_to < VAT_22_FROM else VAT_22_FROM - datetime.timedelta(days=1)
        )
        rows.append(
            tariff(
                name,
                service,
                category,
                valid_from,
                [(None, price)],
                vat="20",
                included=included,
                valid_to=until,
                source=source,
            )
        )
    if valid_to is None or valid_to >= VAT_22_FROM:
        start = max(valid_from, VAT_22_FROM)
        suffix = " (НДС 22 %)" if valid_from < VAT_22_FROM else ""
        rows.append(
            tariff(
                name + suffix,
                service,
                category,
                start,
                [(None, price)],
                vat="22",
                included=included,
                valid_to=valid_to,
                source=source,
            )
        )
    return rows


def izhevsk_tariffs():
    rows = split_at_vat_change(
        "Холодная вода, население",
        Service.WATER,
        HOUSEHOLD,
        D(2024, 7, 1),
        None,
        "42.73",
        included=True,
        source=IZH_WATER_SOURCE,
    )
    periods = [
        (D(2024, 1, 1), D(2024, 6, 30)),
        (D(2024, 7, 1), D(2025, 6, 30)),
        (D(2025, 7, 1), D(2026, 6, 30)),
        (D(2026, 7, 1), None),
    ]
    for category, label, prices, included in (
        (HOUSEHOLD, "население", ["28.37", "30.91", "32.21", "33.49"], True),
        (LEGAL_ENTITY, "прочие потребители", ["23.64", "25.76", "26.84", "27.91"], False),
    ):
        for (start, end), price in zip(periods, prices, strict=True):
            name = f"Водоотведение, {label}, с {start:%d.%m.%Y}"
            rows += split_at_vat_change(
                name, Service.WASTEWATER, category, start, end, price, included=included, source=IZH_WASTEWATER_SOURCE
            )
    # No published price found for cold water of other consumers nor for hot water (see
    # shared/reference/domain-figures.md): demo figures, so that every demo contract is billed; staff
    # replace them in the admin. Cold water for others: the household price without its 20 % VAT.
    rows += split_at_vat_change(
        "Холодная вода, прочие потребители",
        Service.WATER,
        LEGAL_ENTITY,
        D(2024, 7, 1),
        None,
        "35.61",
        included=False,
        source=IZH_DEMO_SOURCE,
    )
    for category, label, included in ((HOUSEHOLD, "население", True), (LEGAL_ENTITY, "прочие потребители", False)):
        rows += split_at_vat_change(
            f"Горячая вода, {label}",
            Service.HOT_WATER,
            category,
            D(2024, 7, 1),
            None,
            "215.00",
            included=included,
            source=IZH_DEMO_SOURCE,
        )
    return rows


TARIFFS = {
    # Water and wastewater, households, VAT 18 % included, since 2021-02-01: 0.70 AZN/m³ in Baku,
    # Sumgayit, Khirdalan, Absheron, 0.60 elsewhere; wastewater 0.30; non-household water 1.00.
    "azersu": [
        tariff(
            "Water, households — Baku, Sumgayit, Khirdalan, Absheron",
            Service.WATER,
            HOUSEHOLD,
            D(2021, 2, 1),
            [(None, "0.70")],
            regions=AZERSU_HIGHER_PRICE_REGIONS,
            source=AZERSU_SOURCE,
        ),
        tariff(
            "Water, households — other regions",
            Service.WATER,
            HOUSEHOLD,
            D(2021, 2, 1),
            [(None, "0.60")],
            source=AZERSU_SOURCE,
        ),
        tariff(
            "Wastewater, households",
            Service.WASTEWATER,
            HOUSEHOLD,
            D(2021, 2, 1),
            [(None, "0.30")],
            source=AZERSU_SOURCE,
        ),
        # Non-household wastewater: no published figure found; staff enter it in the admin.
        tariff(
            "Water, non-household consumers",
            Service.WATER,
            LEGAL_ENTITY,
            D(2021, 2, 1),
            [(None, "1.00")],
            source=AZERSU_SOURCE,
        ),
    ],
    # Households per month: 8.4 qəpik/kWh up to 200 kWh, 10 qəpik for 200–300, 15 qəpik above 300;
    # industry and agriculture 10.6 qəpik. The decision's day of effect is not in our source: the
    # demo assumes 2025-01-01. Azerbaijani tariffs are stated with VAT included.
    "azerishiq": [
        tariff(
            "Electricity, households",
            Service.ELECTRICITY,
            HOUSEHOLD,
            D(2025, 1, 1),
            [("200", "0.084"), ("300", "0.10"), (None, "0.15")],
            unit="kWh",
            source=AZERISHIQ_SOURCE,
        ),
        tariff(
            "Electricity, industry and agriculture",
            Service.ELECTRICITY,
            LEGAL_ENTITY,
            D(2025, 1, 1),
            [(None, "0.106")],
            unit="kWh",
            source=AZERISHIQ_SOURCE,
        ),
    ],
    # From 2025-05-01, VAT (12 %) included: legal entities 1,000 so'm/kWh; households 600 up to
    # 200 kWh, 800 for 201–500, 1,000 for 501–1,000. Above 1,000 kWh is not in our source: the
    # 1,000 so'm block is left unbounded for staff to split when the price is known.
    "uzbekenergo": [
        tariff(
            "Elektr energiyasi, yuridik shaxslar",
            Service.ELECTRICITY,
            LEGAL_ENTITY,
            D(2025, 5, 1),
            [(None, "1000")],
            unit="kWh",
            vat="12",
            source=UZ_SOURCE,
        ),
        tariff(
            "Elektr energiyasi, aholi",
            Service.ELECTRICITY,
            HOUSEHOLD,
            D(2025, 5, 1),
            [("200", "600"), ("500", "800"), (None, "1000")],
            unit="kWh",
            vat="12",
            source=UZ_SOURCE,
        ),
    ],
    # Cold water, households, incl. VAT, from 2024-07-01: 42.73 RUB/m³ (2025–26 not found). Wastewater,
    # RUB/m³, H1-2024 / H2-2024 / H2-2025 / H2-2026: households incl. VAT 28.37 / 30.91 / 32.21 / 33.49;
    # others excl. VAT 23.64 / 25.76 / 26.84 / 27.91. Russian utility tariffs change once a year on
    # 1 July, so each figure runs to the next 30 June. VAT is 22 % from 2026-01-01 (Tax Code art. 164
    # as amended in November 2025), 20 % before: a period across New Year 2026 is split in two rows
    # with the same published price, so the VAT on the invoice follows the rate of the reading date.
    "izhvodokanal": izhevsk_tariffs(),
}


def seed_tariff(tenant, data):
    row, _created = Tariff.objects.update_or_create(
        tenant=tenant,
        name=data["name"],
        valid_from=data["valid_from"],
        defaults={
            key: data[key]
            for key in ("service", "category", "valid_to", "unit", "vat_rate", "prices_include_vat", "source")
        },
    )
    row.blocks.all().delete()
    TariffBlock.objects.bulk_create(
        TariffBlock(tariff=row, up_to=None if up_to is None else Decimal(up_to), price=Decimal(price))
        for up_to, price in data["blocks"]
    )
    if data["regions"]:
        row.branches.set(Branch.objects.for_tenant(tenant).filter(region__in=data["regions"]))
    else:
        row.branches.clear()
    return row


def seed(stdout=None):
    count = 0
    for slug, rows in TARIFFS.items():
        tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is None:
            continue
        for data in rows:
            seed_tariff(tenant, data)
            count += 1
    if stdout is not None:
        stdout.write(f"billing: {count} tariffs with their published sources")
    return []
