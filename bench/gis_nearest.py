"""The nearest-centre lookup of the grid-connection form at a utility's size: 100,000 parcels and
10,000 power centres around Baku on PostgreSQL. Times connections.gis.locate() end to end (the
parcel by its numbers, then the nearest centre that can feed the request) and prints the plan of
the nearest-centre query, which must use the power_centre_position index.

    createdb -h 127.0.0.1 -U postgres abonent_gisbench
    export DJANGO_SETTINGS_MODULE=portal.settings DATABASE_URL=postgres://postgres@127.0.0.1:5432/abonent_gisbench
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/gis_nearest.py                 # --parcels 100000 --centres 10000 --lookups 500

Rows of the bench tenant (slug ``gis-bench``) are created once and reused; ``--reset`` rebuilds them.
"""

import argparse
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from connections import gis  # noqa: E402
from connections.gis import rules  # noqa: E402
from connections.gis.haversine import centres_within  # noqa: E402
from connections.models import District, Parcel, PowerCentre  # noqa: E402
from portal.models import Tenant  # noqa: E402

SLUG = "gis-bench"
# Greater Baku and the Absheron peninsula, about 60 x 45 km.
SOUTH, NORTH, WEST, EAST = 40.25, 40.65, 49.55, 50.10
BATCH = 10_000


def bench_tenant():
    tenant, _created = Tenant.objects.get_or_create(
        slug=SLUG,
        defaults={
            "name": "GIS bench",
            "country_code": "AZ",
            "default_language": "az",
            "currency": "AZN",
            "application_prefix": "GISB",
        },
    )
    district, _created = District.objects.get_or_create(
        tenant=tenant, code="baku", defaults={"name": "Bakı", "latitude": 40.4093, "longitude": 49.8671}
    )
    return tenant, district


def fill(tenant, district, *, parcels, centres, reset):
    if reset:
        Parcel.objects.filter(tenant=tenant).delete()
        PowerCentre.objects.filter(tenant=tenant).delete()
    rng = random.Random(2026)  # noqa: S311 (bench positions)
    have = Parcel.objects.filter(tenant=tenant).count()
    for start in range(have, parcels, BATCH):
        rows = [
            Parcel(
                tenant=tenant,
                district=district,
                registry_number=f"B-{n:07d}",
                registration_number=f"{n:07d}",
                latitude=None if n % 20 == 0 else rng.uniform(SOUTH, NORTH),
                longitude=None if n % 20 == 0 else rng.uniform(WEST, EAST),
            )
            for n in range(start, min(start + BATCH, parcels))
        ]
        with transaction.atomic():
            Parcel.objects.bulk_create(rows)
    kinds = (
        [PowerCentre.Kind.TRANSFORMER_POINT] * 6
        + [PowerCentre.Kind.POLE] * 2
        + [
            PowerCentre.Kind.FEEDER,
            PowerCentre.Kind.SUBSTATION,
        ]
    )
    have = PowerCentre.objects.filter(tenant=tenant).count()
    for start in range(have, centres, BATCH):
        rows = []
        for n in range(start, min(start + BATCH, centres)):
            kind = kinds[n % len(kinds)]
            substation = kind == PowerCentre.Kind.SUBSTATION
            rows.append(
                PowerCentre(
                    tenant=tenant,
                    district=district,
                    code=f"C-{n:06d}",
                    name=f"Centre {n}",
                    kind=kind,
                    high_voltage_kv=Decimal("110" if substation else "10"),
                    low_voltage_kv=Decimal("35" if substation else "0.4"),
                    rated_kva=Decimal("40000" if substation else "400"),
                    # One centre in four is full: the lookup must skip it.
                    available_kva=Decimal(0) if n % 4 == 0 else Decimal(rng.randrange(5, 400)),
                    latitude=rng.uniform(SOUTH, NORTH),
                    longitude=rng.uniform(WEST, EAST),
                )
            )
        with transaction.atomic():
            PowerCentre.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE connections_parcel")
        cursor.execute("ANALYZE connections_powercentre")


def time_lookups(tenant, district, count):
    rng = random.Random(7)  # noqa: S311
    total = Parcel.objects.filter(tenant=tenant).count()
    numbers = [rng.randrange(total) for _ in range(count)]
    timings, approximate, missing = [], 0, 0
    for n in numbers:
        power_kw = Decimal(rng.choice(["5", "8", "15", "30", "60", "150"]))
        started = time.perf_counter()
        try:
            location = gis.locate(
                tenant,
                district=district,
                registry_number=f"B-{n:07d}",
                registration_number=f"{n:07d}",
                power_kw=power_kw,
            )
            approximate += location.approximate
        except gis.NoCentreAvailable:
            missing += 1
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "lookups": count,
        "median_ms": statistics.median(timings),
        "p95_ms": timings[int(len(timings) * 0.95) - 1],
        "max_ms": timings[-1],
        "approximate": approximate,
        "no_centre": missing,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parcels", type=int, default=100_000)
    parser.add_argument("--centres", type=int, default=10_000)
    parser.add_argument("--lookups", type=int, default=500)
    parser.add_argument("--reset", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; the figure in bench/README.md is for PostgreSQL", file=sys.stderr)
    tenant, district = bench_tenant()
    started = time.perf_counter()
    fill(tenant, district, parcels=args.parcels, centres=args.centres, reset=args.reset)
    print(
        f"data: {Parcel.objects.filter(tenant=tenant).count()} parcels, "
        f"{PowerCentre.objects.filter(tenant=tenant).count()} centres ({time.perf_counter() - started:.1f} s)"
    )
    gis.locate(tenant, district=district, registry_number="B-0000001", registration_number="0000001", power_kw=8)
    result = time_lookups(tenant, district, args.lookups)
    print(
        "locate(): {lookups} lookups, median {median_ms:.2f} ms, p95 {p95_ms:.2f} ms, max {max_ms:.2f} ms "
        "({approximate} approximate, {no_centre} with no centre)".format(**result)
    )
    query = centres_within(
        tenant,
        latitude=40.4093,
        longitude=49.8671,
        kinds=rules.feeding_kinds("0.4"),
        min_available_kva=rules.required_kva(Decimal("8")),
        radius_m=1_000,
    )[:1]
    print("\nEXPLAIN ANALYZE of the nearest-centre query (1 km box around central Baku, 8 kW):")
    print(query.explain(analyze=True, buffers=True) if connection.vendor == "postgresql" else query.explain())
    parcel = Parcel.objects.filter(tenant=tenant, district=district, registry_number="B-0000001")
    print("\nEXPLAIN ANALYZE of the parcel query:")
    print(parcel.explain(analyze=True) if connection.vendor == "postgresql" else parcel.explain())


if __name__ == "__main__":
    main()
