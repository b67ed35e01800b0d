"""Importing the utility's GIS export: parcels or power centres, from CSV or GeoJSON.

One service for ``manage.py import_gis`` and the admin's import page. Each row is checked on its
own and reported (created, updated, unchanged or refused with the reason); the good rows are
written set-based (one read per batch of keys, bulk_create and bulk_update), so a re-import of
the same file updates in place and never duplicates. The import's data version is stored on every
row it writes; by default it is the file's SHA-256, so the same file is the same version.
"""

import hashlib
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from connections.gis.numbers import normalize_number
from connections.gis.parsing import read_export
from connections.models import District, Parcel, PowerCentre

BATCH_SIZE = 1000
MAX_WKT_CHARS = 100_000
WKT_POLYGON = re.compile(r"^\s*(MULTI)?POLYGON\s*\(\s*\(.*\)\s*\)\s*$", re.IGNORECASE | re.DOTALL)
WKT_NUMBERS = re.compile(r"^[\s(),.\-+0-9eE]*$")
LOW_VOLTAGE_KINDS = {PowerCentre.Kind.TRANSFORMER_POINT, PowerCentre.Kind.POLE, PowerCentre.Kind.FEEDER}

PARCELS = "parcels"
CENTRES = "centres"

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"
REFUSED = "refused"
STATUS_LABELS = {
    CREATED: gettext_lazy("created"),
    UPDATED: gettext_lazy("updated"),
    UNCHANGED: gettext_lazy("unchanged"),
    REFUSED: gettext_lazy("refused"),
}


class RowRefused(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass
class RowResult:
    number: int
    key: str
    status: str
    reason: str = ""

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


@dataclass
class ImportReport:
    kind: str
    file_format: str
    data_version: str
    rows: list = field(default_factory=list)

    def count(self, status):
        return sum(1 for row in self.rows if row.status == status)

    @property
    def counts(self):
        return {status: self.count(status) for status in STATUS_LABELS}

    @property
    def refused_rows(self):
        return [row for row in self.rows if row.status == REFUSED]


# --- reading one value ---------------------------------------------------------------------------


def text(values, column, *, max_length, required=True):
    value = values.get(column, "")
    if required and not value:
        raise RowRefused(_("The column “%(column)s” is empty.") % {"column": column})
    if len(value) > max_length:
        raise RowRefused(_("“%(column)s” is longer than %(max)d characters.") % {"column": column, "max": max_length})
    return value


def number(value):
    """A float from "40.4093" or a decimal comma "40,4093"; NaN and infinities are not numbers."""
    if "," in value and "." not in value:
        value = value.replace(",", ".")
    result = float(value)
    if not math.isfinite(result):
        raise ValueError(value)
    return result


def coordinate(values, column, *, limit, required):
    value = values.get(column, "")
    if not value:
        if required:
            raise RowRefused(_("The column “%(column)s” is empty.") % {"column": column})
        return None
    try:
        result = number(value)
    except ValueError:
        result = None
    if result is None or not -limit <= result <= limit:
        raise RowRefused(
            _("“%(column)s” must be a number from -%(limit)d to %(limit)d, not “%(value)s”.")
            % {"column": column, "limit": limit, "value": value[:40]}
        )
    return result


def position(values, *, required):
    latitude = coordinate(values, "latitude", limit=90, required=required)
    longitude = coordinate(values, "longitude", limit=180, required=required)
    if (latitude is None) != (longitude is None):
        raise RowRefused(_("Give both latitude and longitude, or neither."))
    return latitude, longitude


def quantity(values, column, *, places, max_digits):
    value = values.get(column, "")
    if not value:
        raise RowRefused(_("The column “%(column)s” is empty.") % {"column": column})
    try:
        result = Decimal(value.replace(",", ".") if "." not in value else value)
    except InvalidOperation:
        result = None
    exponent = Decimal(1).scaleb(-places)
    if result is None or not result.is_finite() or result < 0 or result >= Decimal(10) ** (max_digits - places):
        raise RowRefused(
            _("“%(column)s” must be a number of at least 0, not “%(value)s”.") % {"column": column, "value": value[:40]}
        )
    return result.quantize(exponent)


def district_of(values, districts):
    code = text(values, "district", max_length=32)
    district = districts.get(code.lower())
    if district is None:
        raise RowRefused(_("Unknown district “%(code)s”: add it under Districts first.") % {"code": code})
    return district


def boundary(values):
    wkt = values.get("boundary_wkt", "")
    if not wkt:
        return ""
    if (
        len(wkt) > MAX_WKT_CHARS
        or not WKT_POLYGON.match(wkt)
        or not WKT_NUMBERS.match(re.sub("(?i)multi|polygon", "", wkt))
    ):
        raise RowRefused(_("The boundary is not a WKT POLYGON or MULTIPOLYGON."))
    return wkt


# --- one row of each kind --------------------------------------------------------------------------


def parcel_fields(values, districts):
    registry = normalize_number(text(values, "registry_number", max_length=40))
    registration = normalize_number(text(values, "registration_number", max_length=40))
    if len(registry) > 40 or len(registration) > 40:
        raise RowRefused(_("A registry or registration number is longer than 40 characters."))
    latitude, longitude = position(values, required=False)
    return registry, {
        "district": district_of(values, districts),
        "registration_number": registration,
        "latitude": latitude,
        "longitude": longitude,
        "boundary_wkt": boundary(values),
        "source": text(values, "source", max_length=200, required=False),
    }


def centre_fields(values, districts):
    code = text(values, "code", max_length=40)
    kind = values.get("kind", "").lower()
    if kind not in PowerCentre.Kind.values:
        raise RowRefused(
            _("Unknown kind “%(value)s”; use one of: %(kinds)s.")
            % {"value": values.get("kind", "")[:40], "kinds": ", ".join(PowerCentre.Kind.values)}
        )
    high = quantity(values, "high_voltage_kv", places=2, max_digits=6)
    low = quantity(values, "low_voltage_kv", places=2, max_digits=6)
    rated = quantity(values, "rated_kva", places=1, max_digits=10)
    available = quantity(values, "available_kva", places=1, max_digits=10)
    if low > high:
        raise RowRefused(_("The low voltage is above the high voltage."))
    if kind in LOW_VOLTAGE_KINDS and low != Decimal("0.4"):
        raise RowRefused(
            _("A transformer point, pole or feeder supplies 0.4 kV; the low voltage says %(low)s kV.") % {"low": low}
        )
    if available > rated:
        raise RowRefused(_("The available power is above the rated power."))
    latitude, longitude = position(values, required=True)
    return code, {
        "district": district_of(values, districts),
        "name": text(values, "name", max_length=200),
        "kind": kind,
        "high_voltage_kv": high,
        "low_voltage_kv": low,
        "rated_kva": rated,
        "available_kva": available,
        "latitude": latitude,
        "longitude": longitude,
    }


@dataclass(frozen=True)
class Target:
    model: type
    key: str  # the column that identifies a row within the tenant
    required_columns: tuple
    read_row: object


TARGETS = {
    PARCELS: Target(Parcel, "registry_number", ("district", "registry_number", "registration_number"), parcel_fields),
    CENTRES: Target(
        PowerCentre,
        "code",
        (
            "code",
            "name",
            "kind",
            "district",
            "high_voltage_kv",
            "low_voltage_kv",
            "rated_kva",
            "available_kva",
            "latitude",
            "longitude",
        ),
        centre_fields,
    ),
}


# --- the service -------------------------------------------------------------------------------


def import_gis_file(tenant, *, kind, data, filename, data_version="", source=""):
    """Import an export file's bytes; ImportFileError (nothing written) or an ImportReport."""
    target = TARGETS[kind]
    file_format, raw_rows = read_export(data, filename=filename, required_columns=target.required_columns)
    version = data_version.strip()[:64] or "sha256:" + hashlib.sha256(data).hexdigest()[:16]
    report = ImportReport(kind=kind, file_format=file_format, data_version=version)
    import_rows(tenant, kind=kind, raw_rows=raw_rows, data_version=version, source=source, report=report)
    return report


def import_rows(tenant, *, kind, raw_rows, data_version, source="", report=None):
    """Check and write rows already read (the demo passes its generated rows here)."""
    target = TARGETS[kind]
    report = report or ImportReport(kind=kind, file_format="rows", data_version=data_version)
    districts = {district.code.lower(): district for district in District.objects.for_tenant(tenant)}
    accepted = {}  # key -> (RowResult, fields)
    for raw in raw_rows:
        key = raw.values.get(target.key, "")[:40]
        try:
            if raw.extra_cells:
                raise RowRefused(_("The row has more values than the header has columns."))
            if raw.geometry_error:
                raise RowRefused(raw.geometry_error)
            key, fields = target.read_row(raw.values, districts)
            if key in accepted:
                raise RowRefused(
                    _("The same %(column)s appears in row %(row)d; that row is kept.")
                    % {"column": target.key, "row": accepted[key][0].number}
                )
        except RowRefused as refusal:
            report.rows.append(RowResult(raw.number, key, REFUSED, refusal.reason))
            continue
        if kind == PARCELS and source and not fields["source"]:
            fields["source"] = source[:200]
        fields["data_version"] = data_version
        result = RowResult(raw.number, key, CREATED)
        accepted[key] = (result, fields)
        report.rows.append(result)
    with transaction.atomic():
        write(tenant, target, accepted)
    report.rows.sort(key=lambda row: row.number)
    return report


def write(tenant, target, accepted):
    model = target.model
    now = timezone.now()
    field_names = list(next(iter(accepted.values()))[1]) if accepted else []
    keys = list(accepted)
    to_create, to_update = [], []
    for start in range(0, len(keys), BATCH_SIZE):
        batch = keys[start : start + BATCH_SIZE]
        existing = {
            getattr(row, target.key): row
            for row in model.objects.for_tenant(tenant).filter(**{f"{target.key}__in": batch})
        }
        for key in batch:
            result, fields = accepted[key]
            row = existing.get(key)
            if row is None:
                to_create.append(model(tenant=tenant, imported_on=now, **{target.key: key}, **fields))
            elif changed(row, fields):
                for name, value in fields.items():
                    setattr(row, name, value)
                row.imported_on = now
                to_update.append(row)
                result.status = UPDATED
            else:
                result.status = UNCHANGED
    model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        model.objects.bulk_update(to_update, [*field_names, "imported_on"], batch_size=BATCH_SIZE)


def changed(row, fields):
    for name, value in fields.items():
        current = row.district_id if name == "district" else getattr(row, name)
        if (value.pk if name == "district" else value) != current:
            return True
    return False
