"""A period's readings as a file: the per-contract template (CSV or XLSX) and the parsing of an upload.

An upload is trusted only after the size, the extension, the real type read by libmagic (never the
browser's content type) and a full parse agree. Columns are taken by position, in the template's
order, and the first row is the header. A row whose current reading is empty is not reported.

Limits are checked before anything is loaded: the file's size; for an XLSX (a zip) the size of
each member once inflated and the sheet's declared dimension; and the sheet is then read in
streaming mode (openpyxl read-only) no further than the row and column limits. Each current
reading goes through the page form's rule (``reading_value``), so a file cannot book a value the
page would refuse.
"""

import codecs
import csv
import datetime
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

import magic
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cabinet.services.period_readings import UNCHANGED, Entry, change_of, refusal_reason
from meters.selectors import normalize_serial
from portal.forms import is_plain_number, not_a_number

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 10_000
# The template has 6 columns; a few more are tolerated (notes the subscriber added on the right).
MAX_COLUMNS = 30
# A cell longer than this is not a meter number or a reading (csv's own limit is 131,072).
MAX_CELL_CHARS = 1000
# An XLSX is a zip: refuse one that would inflate past this (a "zip bomb").
MAX_UNZIPPED_BYTES = 40 * 1024 * 1024
MAX_MEMBER_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 100
# Meters have at most 8 or 9 black digits: what is larger is a typing error, not a reading.
MAX_READING = Decimal("1e9")
MAX_READING_CHARS = 20
XLSX_TYPES = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip"}
CSV_TYPES = {"application/csv"}  # besides every text/* type
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y")

COLUMNS = [
    gettext_lazy("Meter number"),
    gettext_lazy("Installation address"),
    gettext_lazy("Previous reading"),
    gettext_lazy("Previous reading date"),
    gettext_lazy("Current reading"),
    gettext_lazy("Date"),
]
SERIAL, VALUE, DATE = 0, 4, 5


# -- the template ---------------------------------------------------------------------------------


def template_table(rows):
    """Header and one line per meter (MeterRow): what the subscriber fills in is left empty."""
    table = [[str(title) for title in COLUMNS]]
    for row in rows:
        table.append(
            [
                row.meter.serial_number,
                row.meter.service_point.address if row.meter.service_point else "",
                f"{row.previous_value.normalize():f}",
                row.previous_date.strftime("%d.%m.%Y"),
                "",
                "",
            ]
        )
    return table


def csv_template(rows):
    # A byte-order mark and ";" so that Excel in a Russian or Uzbek locale opens it in columns.
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerows(template_table(rows))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_template(rows):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Readings"))
    for line in template_table(rows):
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- reading an upload ----------------------------------------------------------------------------


def reading_value(text):
    """The current reading typed on the page or written in a file, as Decimal; ValidationError
    when it is not a plain number of at most 3 decimals below MAX_READING. None when empty."""
    typed = "".join(str(text).split())
    if not typed:
        return None
    too_large = ValidationError(
        gettext_lazy("The reading has more digits than a meter shows. Enter the black digits of the meter."),
        code="too_large",
    )
    if not is_plain_number(typed[: MAX_READING_CHARS + 1]):
        raise not_a_number(typed)  # says why: letters ("12a", "1e5", "NaN") or several separators ("1,2,3")
    if len(typed) > MAX_READING_CHARS:
        raise too_large
    try:
        value = Decimal(typed.replace(",", "."))
    except InvalidOperation:
        raise not_a_number(typed) from None
    if value.as_tuple().exponent < -3:
        raise ValidationError(gettext_lazy("Enter the reading with at most three decimals."), code="invalid")
    if abs(value) >= MAX_READING:
        raise too_large
    return value


def damaged_xlsx():
    return ValidationError(
        _("The XLSX file is damaged. Save it again from your spreadsheet program, or use the CSV template."),
        code="damaged",
    )


def too_many_rows():
    return ValidationError(
        _("The file has more than %(max)s rows.") % {"max": MAX_ROWS}, code="too_many"
    )


def too_many_columns():
    return ValidationError(
        _("The file has more than %(max)s columns. Use the columns of the template.") % {"max": MAX_COLUMNS},
        code="too_wide",
    )


def read_table(uploaded):
    """The cells of an uploaded CSV or XLSX file as a list of rows; ValidationError if unusable."""
    if uploaded.size > MAX_FILE_BYTES:
        raise ValidationError(_("The file is larger than 2 MB. Split it or remove unused rows."), code="too_large")
    uploaded.seek(0)
    data = uploaded.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:  # the declared size may lie
        raise ValidationError(_("The file is larger than 2 MB. Split it or remove unused rows."), code="too_large")
    extension = PurePath(uploaded.name or "").suffix.lower()
    real_type = magic.from_buffer(data[:4096], mime=True)
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if extension == ".csv" and (real_type.startswith("text/") or real_type in CSV_TYPES or utf16):
        return _read_csv(data)
    if extension == ".xlsx" and real_type in XLSX_TYPES:
        return _read_xlsx(data)
    raise ValidationError(_("Upload the readings as a CSV or XLSX file (the downloadable template)."), code="type")


class SemicolonDialect(csv.excel):
    delimiter = ";"


# Excel saves "CSV UTF-8" with a BOM, "Unicode text" as UTF-16 with a BOM (tab separated) and a
# plain "CSV" in the Windows code page: Cyrillic is cp1251 on a Russian Windows.
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_text(data):
    """The text of a CSV file: by its BOM, else UTF-8, else cp1251 (which decodes almost any byte, so
    it comes last)."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    else:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        try:
            return data.decode("cp1251")
        except UnicodeDecodeError:
            pass
    raise ValidationError(
        _("The CSV file could not be read: save it as “CSV UTF-8” or use the XLSX template."), code="encoding"
    )


def _read_csv(data):
    text = decode_text(data)
    if "\x00" in text:
        raise ValidationError(
            _("The CSV file could not be read: a cell is too long or its quotes are not closed."), code="damaged"
        )
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:  # too little text to tell: the template's own delimiter
        dialect = SemicolonDialect
    table = []
    try:
        for line in csv.reader(io.StringIO(text), dialect):
            if len(line) > MAX_COLUMNS:
                raise too_many_columns()
            if any(len(cell) > MAX_CELL_CHARS for cell in line):
                raise long_cell()
            table.append(line)
            if len(table) > MAX_ROWS + 1:
                raise too_many_rows()
    except csv.Error:  # a field longer than csv's own limit, a NUL byte, a broken quote
        raise ValidationError(
            _("The CSV file could not be read: a cell is too long or its quotes are not closed."), code="damaged"
        ) from None
    return table


def long_cell():
    return ValidationError(
        _("A cell of the file is longer than %(max)s characters. Use the columns of the template.")
        % {"max": MAX_CELL_CHARS},
        code="long_cell",
    )


def _read_xlsx(data):
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise damaged_xlsx() from None
    # The sizes the zip declares are what its members inflate to (zipfile refuses to read past them).
    if (
        "xl/workbook.xml" not in {member.filename for member in members}
        or len(members) > MAX_MEMBERS
        or any(member.file_size > MAX_MEMBER_BYTES for member in members)
        or sum(member.file_size for member in members) > MAX_UNZIPPED_BYTES
    ):
        raise damaged_xlsx()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a broken workbook
        raise damaged_xlsx() from None
    try:
        return _sheet_rows(workbook)
    except ValidationError:
        raise
    except Exception:  # broken XML, a text in a number cell, a bad cell reference, a missing shared string
        raise damaged_xlsx() from None
    finally:
        workbook.close()


def _sheet_rows(workbook):
    if not workbook.worksheets:
        raise damaged_xlsx()
    sheet = workbook.worksheets[0]
    # The dimension the sheet declares (read from its first bytes) is checked before any row.
    if (sheet.max_row or 0) > MAX_ROWS + 1:
        raise too_many_rows()
    if (sheet.max_column or 0) > MAX_COLUMNS:
        raise too_many_columns()
    table = []
    # One row past the limit is read, to tell a full file from a too long one; a row declared far
    # below is never reached (the streaming parser stops at max_row).
    for line in sheet.iter_rows(max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS, values_only=True):
        if any(isinstance(cell, str) and len(cell) > MAX_CELL_CHARS for cell in line):
            raise long_cell()
        table.append(list(line))
        if len(table) > MAX_ROWS + 1:
            raise too_many_rows()
    return table


# -- checking the rows ----------------------------------------------------------------------------


@dataclass
class FileRow:
    line: int  # as the spreadsheet numbers it, header = 1
    serial: str
    value: Decimal | None
    reading_date: datetime.date | None
    meter_id: int | None
    error: str = ""
    raw_value: str = ""  # the cells as written, shown beside an error
    raw_date: str = ""
    previous_value: Decimal | None = None
    previous_date: datetime.date | None = None
    change: str = ""  # period_readings.NEW, UNCHANGED or CORRECTION for a valid row

    @property
    def consumption(self):
        if self.error or self.value is None or self.previous_value is None:
            return None
        return self.value - self.previous_value

    def entry(self):
        return Entry(meter_id=self.meter_id, value=self.value, reading_date=self.reading_date)


def _cell(line, index):
    value = line[index] if index < len(line) else None
    return "" if value is None else value


def parse_value(cell):
    """The current reading of a file's cell by the page form's rule (``reading_value``)."""
    if isinstance(cell, bool | datetime.date | datetime.time | datetime.timedelta):
        raise ValidationError(gettext_lazy("Enter the reading as a number."), code="invalid")
    if isinstance(cell, float):
        cell = repr(cell)  # 1e+20, inf, nan: refused by the rule below like the typed text
    return reading_value(cell)


def parse_date(cell, today):
    if cell in ("", None):
        return today
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(str(cell).strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError


def check_rows(table, *, meter_rows, today):
    """FileRow per reported line of ``table`` (header skipped), each checked by the page's rules."""
    by_serial = {normalize_serial(row.meter.serial_number): row for row in meter_rows}
    seen = set()
    checked = []
    for number, line in enumerate(table[1:], start=2):
        serial, value_cell, date_cell = (_cell(line, index) for index in (SERIAL, VALUE, DATE))
        if str(value_cell).strip() == "":
            continue  # a meter not reported in this file
        row = FileRow(
            line=number,
            serial=str(serial).strip(),
            value=None,
            reading_date=None,
            meter_id=None,
            raw_value=_shown(value_cell),
            raw_date=_shown(date_cell),
        )
        checked.append(row)
        meter_row = by_serial.get(normalize_serial(str(serial)))
        if meter_row is None:
            row.error = _("No meter with this number on the contract.")
            continue
        row.meter_id = meter_row.meter.pk
        row.previous_value, row.previous_date = meter_row.previous_value, meter_row.previous_date
        if row.meter_id in seen:
            row.error = _("This meter appears more than once in the file.")
            continue
        seen.add(row.meter_id)
        try:
            row.value = parse_value(value_cell)
        except ValidationError as error:
            row.error = " ".join(error.messages)
            continue
        try:
            row.reading_date = parse_date(date_cell, today)
        except ValueError:
            row.error = _("The date is not recognised; write it as %(example)s.") % {
                "example": date_format(today, "d.m.Y")
            }
            continue
        row.error = refusal_reason(meter_row, value=row.value, reading_date=row.reading_date, today=today)
        row.change = change_of(meter_row, value=row.value, reading_date=row.reading_date)
        if row.change == UNCHANGED:
            row.error = ""  # nothing to book, whatever the rules say of the figure today
    return checked


def _shown(cell):
    """A cell as the user wrote it, short enough for the error table."""
    if isinstance(cell, datetime.datetime | datetime.date):
        return date_format(cell, "SHORT_DATE_FORMAT")
    text = "" if cell is None else str(cell).strip()
    return text if len(text) <= 40 else text[:39] + "…"
