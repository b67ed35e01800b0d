"""Importing the utility's GIS export: CSV and GeoJSON, a per-row report, idempotent re-import,
files that cannot be read refused whole with a clear message."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from connections.gis.importing import CENTRES, PARCELS, import_gis_file
from connections.gis.parsing import ImportFileError
from connections.models import Parcel, PowerCentre
from tests.connections.factories_gis import DistrictFactory

pytestmark = pytest.mark.django_db

PARCELS_CSV = """district,registry_number,registration_number,latitude,longitude,source
nasimi,NSM-0001,050001,40.3851,49.8372,Daşınmaz Əmlak Reyestri
nasimi,NSM-0002,050002,,,
nasimi,NSM-0003,050003,95,49.83,
atlantis,NSM-0004,050004,40.38,49.83,
nasimi,NSM-0005,,40.38,49.83,
nasimi,NSM-0001,050099,40.38,49.83,
nasimi,NSM-0006,050006,40.38,,
nasimi,NSM-0007,050007,nan,49.83,
"""

CENTRES_CSV = """code;name;kind;district;high_voltage_kv;low_voltage_kv;rated_kva;available_kva;latitude;longitude
TM-1;TM 1;transformer_point;nasimi;10;0,4;630;240;40,3860;49,8390
YS-1;YS 1;substation;nasimi;110;35;40000;12000;40.39;49.84
DR-1;Dirək 1;pole;nasimi;0.4;0.4;60;75;40.39;49.84
FD-1;Fider 1;cable;nasimi;0.4;0.4;60;10;40.39;49.84
TM-2;TM 2;transformer_point;nasimi;10;6;630;240;40.39;49.84
"""


@pytest.fixture
def district(tenant):
    return DistrictFactory(tenant=tenant, code="nasimi", name="Nəsimi")


def run(tenant, kind, content, filename="export.csv", **kwargs):
    data = content.encode() if isinstance(content, str) else content
    return import_gis_file(tenant, kind=kind, data=data, filename=filename, **kwargs)


def statuses(report):
    return [(row.number, row.key, row.status) for row in report.rows]


def test_a_parcels_csv_imports_the_good_rows_and_reports_each_refused_one(tenant, district):
    report = run(tenant, PARCELS, PARCELS_CSV)

    assert statuses(report) == [
        (2, "NSM-0001", "created"),
        (3, "NSM-0002", "created"),
        (4, "NSM-0003", "refused"),
        (5, "NSM-0004", "refused"),
        (6, "NSM-0005", "refused"),
        (7, "NSM-0001", "refused"),
        (8, "NSM-0006", "refused"),
        (9, "NSM-0007", "refused"),
    ]
    reasons = {row.number: row.reason for row in report.refused_rows}
    assert reasons[4] == "“latitude” must be a number from -90 to 90, not “95”."
    assert reasons[5] == "Unknown district “atlantis”: add it under Districts first."
    assert reasons[6] == "The column “registration_number” is empty."
    assert reasons[7] == "The same registry_number appears in row 2; that row is kept."
    assert reasons[8] == "Give both latitude and longitude, or neither."
    assert "nan" in reasons[9]
    first = Parcel.objects.get(tenant=tenant, registry_number="NSM-0001")
    assert (first.registration_number, first.latitude, first.source) == ("050001", 40.3851, "Daşınmaz Əmlak Reyestri")
    assert first.data_version == report.data_version and report.data_version.startswith("sha256:")
    assert Parcel.objects.get(registry_number="NSM-0002").latitude is None


def test_reimporting_the_same_file_changes_nothing_and_a_changed_row_is_updated(tenant, district):
    run(tenant, PARCELS, PARCELS_CSV)
    again = run(tenant, PARCELS, PARCELS_CSV)

    assert again.counts == {"created": 0, "updated": 0, "unchanged": 2, "refused": 6}
    assert Parcel.objects.count() == 2

    changed = run(tenant, PARCELS, PARCELS_CSV.replace("40.3851", "40.3855"), data_version="2026-12-01")
    assert changed.counts["updated"] == 2  # one moved, both carry the new version
    assert Parcel.objects.get(registry_number="NSM-0001").latitude == 40.3855
    assert set(Parcel.objects.values_list("data_version", flat=True)) == {"2026-12-01"}
    assert Parcel.objects.count() == 2


def test_a_centres_csv_with_semicolons_and_decimal_commas(tenant, district):
    report = run(tenant, CENTRES, CENTRES_CSV)

    assert statuses(report) == [
        (2, "TM-1", "created"),
        (3, "YS-1", "created"),
        (4, "DR-1", "refused"),
        (5, "FD-1", "refused"),
        (6, "TM-2", "refused"),
    ]
    reasons = [row.reason for row in report.refused_rows]
    assert reasons[0] == "The available power is above the rated power."
    assert reasons[1].startswith("Unknown kind “cable”")
    assert reasons[2] == "A transformer point, pole or feeder supplies 0.4 kV; the low voltage says 6.00 kV."
    tm1 = PowerCentre.objects.get(code="TM-1")
    assert (str(tm1.low_voltage_kv), str(tm1.available_kva), tm1.latitude) == ("0.40", "240.0", 40.386)


def geojson(features, **extra):
    return json.dumps({"type": "FeatureCollection", "features": features, **extra})


def test_a_parcels_geojson_takes_the_position_from_points_and_polygons(tenant, district):
    square = [[[49.8300, 40.3800], [49.8310, 40.3800], [49.8310, 40.3810], [49.8300, 40.3810], [49.8300, 40.3800]]]
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [49.837, 40.385]},
            "properties": {"district": "nasimi", "registry_number": "NSM-0001", "registration_number": "050001"},
        },
        {
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": square},
            "properties": {"district": "nasimi", "registry_number": "NSM-0002", "registration_number": 50002},
        },
        {
            "type": "Feature",
            "geometry": None,
            "properties": {"district": "nasimi", "registry_number": "NSM-0003", "registration_number": "050003"},
        },
        {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [[49.8, 40.3], [49.9, 40.4]]},
            "properties": {"district": "nasimi", "registry_number": "NSM-0004", "registration_number": "050004"},
        },
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": ["a"]},
            "properties": {"district": "nasimi", "registry_number": "NSM-0005", "registration_number": "050005"},
        },
    ]

    report = run(tenant, PARCELS, geojson(features), filename="parcels.geojson")

    assert [row.status for row in report.rows] == ["created", "created", "created", "refused", "refused"]
    assert report.file_format == "geojson"
    polygon = Parcel.objects.get(registry_number="NSM-0002")
    assert polygon.latitude == pytest.approx(40.3805) and polygon.longitude == pytest.approx(49.8305)
    assert polygon.boundary_wkt.startswith("POLYGON ((49.83 40.38, 49.831 40.38")
    assert polygon.registration_number == "50002"
    assert Parcel.objects.get(registry_number="NSM-0001").latitude == 40.385
    assert Parcel.objects.get(registry_number="NSM-0003").latitude is None


def test_a_centres_geojson_imports_and_reimports_in_place(tenant, district):
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [49.84, 40.39]},
            "properties": {
                "code": "TM-1",
                "name": "TM 1",
                "kind": "transformer_point",
                "district": "nasimi",
                "high_voltage_kv": 10,
                "low_voltage_kv": 0.4,
                "rated_kva": 630,
                "available_kva": 240,
            },
        }
    ]
    first = run(tenant, CENTRES, geojson(features), filename="centres.json")
    second = run(tenant, CENTRES, geojson(features), filename="centres.json")

    assert (first.counts["created"], second.counts["unchanged"], PowerCentre.objects.count()) == (1, 1, 1)


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "a.csv", "The file is empty."),
        (b"district,registry_number\x00,x\n", "a.csv", "The file contains NUL bytes"),
        ("district,registry_number\nnasimi,Ş\n".encode("cp1254"), "a.csv", "The file is not UTF-8 text"),
        (b"district,registry\nnasimi,1\n", "a.csv", "Missing columns: registry_number, registration_number."),
        (b'district,registry_number,registration_number\nnasimi,"NSM-1,2\n', "a.csv", "The CSV file is malformed"),
        (b'{"type": "FeatureCollection", "features": [', "a.geojson", "The file is not valid GeoJSON"),
        (b'{"type": "Feature"}', "a.geojson", "must be a FeatureCollection"),
        (b'{"type": "FeatureCollection", "features": [1]}', "a.geojson", "Feature 1 is not a GeoJSON Feature."),
        (b"[" * 100_000 + b"]" * 100_000, "a.json", "The file is not valid GeoJSON"),
    ],
    ids=[
        "empty",
        "nul bytes",
        "utf-16",
        "wrong columns",
        "unclosed quote",
        "truncated json",
        "not a collection",
        "not a feature",
        "deep nesting",
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(tenant, district, content, filename, message):
    with pytest.raises(ImportFileError) as refused:
        run(tenant, PARCELS, content, filename=filename)

    assert message in refused.value.messages[0]
    assert Parcel.objects.count() == 0


def test_a_file_above_the_size_limit_is_refused(tenant, district, settings):
    settings.CONNECTIONS_GIS_IMPORT_MAX_BYTES = 1000

    with pytest.raises(ImportFileError) as refused:
        run(tenant, PARCELS, PARCELS_CSV * 10)

    assert "larger than" in refused.value.messages[0]


def test_the_import_writes_in_batches_not_a_query_per_row(tenant, district, django_assert_max_num_queries):
    rows = "".join(f"nasimi,BULK-{n:05d},{n:05d},40.38,49.83,\n" for n in range(3000))
    content = "district,registry_number,registration_number,latitude,longitude,source\n" + rows

    # Batches: SQLite takes at most 999 parameters a statement (about 100 parcels an INSERT);
    # a query per row would be 3000 and more.
    with django_assert_max_num_queries(60):
        report = run(tenant, PARCELS, content)
    with django_assert_max_num_queries(60):
        again = run(tenant, PARCELS, content.replace("40.38", "40.39"))

    assert report.counts["created"] == 3000 and again.counts["updated"] == 3000


def test_the_command_imports_and_prints_the_refused_rows(tenant, district, tmp_path, capsys):
    export = tmp_path / "parcels.csv"
    export.write_text(PARCELS_CSV, encoding="utf-8")

    call_command("import_gis", tenant.slug, str(export), "--kind", "parcels", "--data-version", "2026-11-30")

    out = capsys.readouterr().out
    assert "row 5: NSM-0004: refused: Unknown district “atlantis”" in out
    assert "(csv, data version 2026-11-30): 2 created, 0 updated, 0 unchanged, 6 refused" in out
    assert Parcel.objects.filter(data_version="2026-11-30").count() == 2


def test_the_command_refuses_a_bad_file_and_an_unknown_tenant(tenant, district, tmp_path):
    export = tmp_path / "parcels.csv"
    export.write_bytes(b"\x00\x01")

    with pytest.raises(CommandError, match="NUL bytes"):
        call_command("import_gis", tenant.slug, str(export), "--kind", "parcels")
    with pytest.raises(CommandError, match="No tenant"):
        call_command("import_gis", "nobody", str(export), "--kind", "parcels")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_gis", tenant.slug, str(tmp_path / "missing.csv"), "--kind", "parcels")


def test_the_command_reports_in_the_language_asked(tenant, district, tmp_path, capsys):
    export = tmp_path / "parcels.csv"
    export.write_text(PARCELS_CSV, encoding="utf-8")

    call_command("import_gis", tenant.slug, str(export), "--kind", "parcels", "--language", "ru")

    assert "Неизвестный район «atlantis»" in capsys.readouterr().out
