"""Demo GIS for Azerishiq: real districts of Baku, Sumgayit, Ganja and Absheron with their
approximate centres, 30 generated parcels and 8 power centres in each.

Deterministic, so README and the browser test can name a parcel: registry number ``NSM-0001``
with registration number ``050001`` is in Nəsimi (district 5); every tenth parcel (``NSM-0010``,
``NSM-0020``, ...) has no position and gets an approximate distance from the district centre; in
each district transformer point 3 has no capacity left and the two poles only 15 kVA, so a
larger request skips them. Rows go through the import service (bulk writes), so a second run
changes nothing.
"""

import random

from connections.gis.importing import CENTRES, PARCELS, import_rows
from connections.gis.parsing import RawRow
from connections.models import District
from portal.models import Branch

DATA_VERSION = "demo-2026-12-01"
PARCELS_PER_DISTRICT = 30
# Parcels lie within this many degrees (about 2 km) of their district's centre, centres within 1.5 km.
PARCEL_SPREAD = 0.018
CENTRE_SPREAD = 0.013

# (code, registry prefix, Azerbaijani name, Russian name, Latin name, centroid lat, lon, branch code)
# Centroids: the districts' administrative centres, rounded (OpenStreetMap).
DISTRICTS = [
    ("binagadi", "BNQ", "Binəqədi", "Бинагадинский район", "Binagadi", 40.4640, 49.8300, "baku-north"),
    ("narimanov", "NRM", "Nərimanov", "Наримановский район", "Narimanov", 40.4030, 49.8700, "baku-north"),
    ("sabunchu", "SBN", "Sabunçu", "Сабунчинский район", "Sabunchu", 40.4420, 49.9480, "baku-north"),
    ("surakhani", "SRX", "Suraxanı", "Сураханский район", "Surakhani", 40.4210, 50.0090, "baku-south"),
    ("nasimi", "NSM", "Nəsimi", "Насиминский район", "Nasimi", 40.3850, 49.8370, "baku-south"),
    ("khatai", "XTI", "Xətai", "Хатаинский район", "Khatai", 40.3830, 49.9000, "baku-south"),
    ("yasamal", "YSM", "Yasamal", "Ясамальский район", "Yasamal", 40.3800, 49.8100, "baku-south"),
    ("sumgayit", "SMQ", "Sumqayıt", "Сумгайыт", "Sumgayit", 40.5897, 49.6686, "sumgayit"),
    ("absheron", "ABS", "Abşeron", "Апшеронский район", "Absheron", 40.4481, 49.7556, "sumgayit"),
    ("ganja", "GNC", "Gəncə", "Гянджа", "Ganja", 40.6828, 46.3606, "ganja"),
]

# (code suffix, name, kind, high kV, low kV, rated kVA, available kVA)
CENTRES_PER_DISTRICT = [
    ("YS", "Yarımstansiya 110/35 kV", "substation", "110", "35", "40000", "12000"),
    ("TM-1", "Transformator məntəqəsi 1", "transformer_point", "10", "0.4", "630", "240"),
    ("TM-2", "Transformator məntəqəsi 2", "transformer_point", "10", "0.4", "400", "95"),
    ("TM-3", "Transformator məntəqəsi 3", "transformer_point", "6", "0.4", "400", "0"),
    ("TM-4", "Transformator məntəqəsi 4", "transformer_point", "10", "0.4", "250", "160"),
    ("DR-1", "0,4 kV dirək 1", "pole", "0.4", "0.4", "60", "15"),
    ("DR-2", "0,4 kV dirək 2", "pole", "0.4", "0.4", "60", "15"),
    ("FD-1", "0,4 kV fider 1", "feeder", "0.4", "0.4", "250", "120"),
]


def demo_registry_number(prefix, n):
    return f"{prefix}-{n:04d}"


def demo_registration_number(district_index, n):
    return f"{district_index:02d}{n:04d}"


def seed_districts(tenant):
    branches = {branch.code: branch for branch in Branch.objects.for_tenant(tenant)}
    districts = []
    for code, _prefix, name, name_ru, name_en, latitude, longitude, branch_code in DISTRICTS:
        district, _created = District.objects.update_or_create(
            tenant=tenant,
            code=code,
            defaults={
                "name": name,
                "name_ru": name_ru,
                "name_en": name_en,
                "latitude": latitude,
                "longitude": longitude,
                "branch": branches.get(branch_code),
            },
        )
        districts.append(district)
    return districts


def scatter(rng, latitude, longitude, spread):
    return f"{latitude + rng.uniform(-spread, spread):.6f}", f"{longitude + rng.uniform(-spread, spread):.6f}"


def parcel_rows():
    rows = []
    for index, (code, prefix, *_names, latitude, longitude, _branch) in enumerate(DISTRICTS, start=1):
        rng = random.Random(f"parcels-{code}")  # noqa: S311 (demo positions, not secrets)
        for n in range(1, PARCELS_PER_DISTRICT + 1):
            lat, lon = scatter(rng, latitude, longitude, PARCEL_SPREAD)
            without_position = n % 10 == 0
            values = {
                "district": code,
                "registry_number": demo_registry_number(prefix, n),
                "registration_number": demo_registration_number(index, n),
                "latitude": "" if without_position else lat,
                "longitude": "" if without_position else lon,
                "source": "Demo",
            }
            rows.append(RawRow(number=len(rows) + 1, values=values))
    return rows


def centre_rows():
    rows = []
    for code, prefix, *_names, latitude, longitude, _branch in DISTRICTS:
        rng = random.Random(f"centres-{code}")  # noqa: S311 (demo positions, not secrets)
        for suffix, name, kind, high, low, rated, available in CENTRES_PER_DISTRICT:
            lat, lon = scatter(rng, latitude, longitude, CENTRE_SPREAD)
            values = {
                "code": f"{prefix}-{suffix}",
                "name": name,
                "kind": kind,
                "district": code,
                "high_voltage_kv": high,
                "low_voltage_kv": low,
                "rated_kva": rated,
                "available_kva": available,
                "latitude": lat,
                "longitude": lon,
            }
            rows.append(RawRow(number=len(rows) + 1, values=values))
    return rows


def seed_gis(tenant):
    """Districts, parcels and power centres for ``tenant``; returns (districts, parcels, centres) counts."""
    districts = seed_districts(tenant)
    parcels = import_rows(tenant, kind=PARCELS, raw_rows=parcel_rows(), data_version=DATA_VERSION)
    centres = import_rows(tenant, kind=CENTRES, raw_rows=centre_rows(), data_version=DATA_VERSION)
    refused = parcels.refused_rows + centres.refused_rows
    if refused:
        raise RuntimeError(f"demo GIS rows refused: {refused[:3]}")
    return len(districts), len(parcels.rows), len(centres.rows)
