"""Reading a GIS export (CSV or GeoJSON) into rows of text values, one dict per row.

Everything wrong with the file as a whole (too large, not text, not CSV or GeoJSON, missing
columns) raises ImportFileError with a message for the staff member; what is wrong with one row is
the importer's business (connections.gis.importing), reported per row.
"""

import csv
import io
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# A whole utility's parcels fit in a few files of this many rows; the admin page shows each row.
MAX_ROWS = 200_000
CSV_DELIMITERS = ",;\t"


class ImportFileError(ValidationError):
    """The file cannot be imported at all; nothing was written."""


@dataclass
class RawRow:
    number: int  # the spreadsheet row (header = 1) or the feature's position (from 1)
    values: dict  # column -> text, stripped; "" when empty
    # GeoJSON only: the geometry's position and the boundary as WKT, already checked.
    geometry_error: str = ""
    extra_cells: bool = False  # a CSV row with more values than the header has columns


def read_export(data, *, filename, required_columns):
    """(format, rows) for the file's bytes; format is "csv" or "geojson"."""
    limit = settings.CONNECTIONS_GIS_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ImportFileError(
            _("The file is larger than %(limit)s. Split the export into smaller files.")
            % {"limit": filesizeformat(limit)}
        )
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if b"\x00" in data:
        raise ImportFileError(_("The file contains NUL bytes: it is not a text CSV or GeoJSON export."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_("The file is not UTF-8 text. Export it from the GIS as UTF-8.")) from None
    name = (filename or "").lower()
    if name.endswith((".geojson", ".json")) or (not name.endswith(".csv") and text.lstrip().startswith("{")):
        return "geojson", read_geojson(text, required_columns)
    return "csv", read_csv(text, required_columns)


def check_columns(columns, required_columns):
    missing = [column for column in required_columns if column not in columns]
    if missing:
        raise ImportFileError(
            _("Missing columns: %(columns)s. Expected columns: %(expected)s.")
            % {"columns": ", ".join(missing), "expected": ", ".join(required_columns)}
        )


def too_many_rows():
    return ImportFileError(
        _("The file has more than %(count)d rows. Split the export into smaller files.") % {"count": MAX_ROWS}
    )


def read_csv(text, required_columns):
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=CSV_DELIMITERS)
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = []
    try:
        header = next(reader, None)
        if not header:
            raise ImportFileError(_("The file has no header row."))
        columns = [column.strip().lower() for column in header]
        check_columns(columns, required_columns)
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue  # blank lines between blocks of an export
            if len(rows) >= MAX_ROWS:
                raise too_many_rows()
            values = {column: (record[i].strip() if i < len(record) else "") for i, column in enumerate(columns)}
            rows.append(RawRow(number=reader.line_num, values=values, extra_cells=len(record) > len(columns)))
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file is malformed near line %(line)d: %(error)s") % {"line": reader.line_num, "error": error}
        ) from None
    return rows


def read_geojson(text, required_columns):
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        raise ImportFileError(_("The file is not valid GeoJSON (the JSON does not parse).")) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ImportFileError(_("The GeoJSON file must be a FeatureCollection."))
    features = document.get("features")
    if not isinstance(features, list):
        raise ImportFileError(_("The GeoJSON FeatureCollection has no list of features."))
    if len(features) > MAX_ROWS:
        raise too_many_rows()
    rows = []
    columns_seen = set()
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise ImportFileError(_("Feature %(number)d is not a GeoJSON Feature.") % {"number": number})
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            raise ImportFileError(_("Feature %(number)d has properties that are not an object.") % {"number": number})
        values = {str(key).strip().lower(): property_text(value) for key, value in properties.items()}
        row = RawRow(number=number, values=values)
        read_geometry(feature.get("geometry"), row)
        columns_seen.update(row.values)
        rows.append(row)
    if rows:
        check_columns(columns_seen, [c for c in required_columns if c not in ("latitude", "longitude")])
    return rows


def property_text(value):
    if value is None:
        return ""
    if isinstance(value, bool | dict | list):
        return json.dumps(value)  # refused by the column's check with the value shown
    return str(value).strip()


def read_geometry(geometry, row):
    """Fill latitude/longitude (and boundary_wkt for a polygon) from the feature's geometry."""
    if geometry is None:
        return
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
    try:
        if kind == "Point":
            longitude, latitude = point(coordinates)
        elif kind == "Polygon":
            longitude, latitude = ring_centroid(coordinates[0])
            row.values["boundary_wkt"] = polygon_wkt(coordinates)
        elif kind == "MultiPolygon":
            largest = max(coordinates, key=lambda polygon: abs(ring_area(polygon[0])))
            longitude, latitude = ring_centroid(largest[0])
            parts = ", ".join(polygon_wkt(polygon).removeprefix("POLYGON ") for polygon in coordinates)
            row.values["boundary_wkt"] = f"MULTIPOLYGON ({parts})"
        else:
            row.geometry_error = _("The geometry must be a Point, a Polygon or a MultiPolygon.")
            return
    except (TypeError, ValueError, IndexError, ZeroDivisionError):
        row.geometry_error = _("The geometry's coordinates are not valid.")
        return
    row.values["latitude"] = repr(latitude)
    row.values["longitude"] = repr(longitude)


def point(coordinates):
    longitude, latitude = float(coordinates[0]), float(coordinates[1])
    return longitude, latitude


def ring_area(ring):
    points = [point(p) for p in ring]
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True)) / 2


def ring_centroid(ring):
    """The area centroid of a ring in degrees: a parcel spans metres, where the plane is exact enough."""
    points = [point(p) for p in ring]
    if len(points) < 3:
        raise ValueError("a ring has at least three points")
    area = ring_area(ring)
    if area == 0:
        raise ValueError("a ring with no area")
    pairs = zip(points, points[1:] + points[:1], strict=True)
    cx = cy = 0.0
    for (x1, y1), (x2, y2) in pairs:
        cross = x1 * y2 - x2 * y1
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    return cx / (6 * area), cy / (6 * area)


def polygon_wkt(rings):
    parts = ["({})".format(", ".join("{!r} {!r}".format(*point(p)) for p in ring)) for ring in rings]
    return "POLYGON ({})".format(", ".join(parts))
