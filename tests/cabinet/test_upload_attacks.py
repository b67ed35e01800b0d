"""The readings upload (W5) under hostile files: huge numbers, huge cells, broken and inflated XLSX.

Every file gets a page with a clear message, never a 500, and nothing is saved. The XLSX files are
written by hand (zipfile + XML), as an attacker would.
"""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cabinet import imports
from cabinet.models import PeriodReading
from meters.models import Reading
from tests.cabinet.factories import linked_contract
from tests.cabinet.readings_support import url, water_meter, water_tenant
from tests.meters.factories import ServicePointFactory

pytestmark = pytest.mark.django_db
D = datetime.date
HEADER = "Meter number;Installation address;Previous reading;Previous reading date;Current reading;Date\n"


@pytest.fixture
def tenant(db):
    return water_tenant()


@pytest.fixture
def contract(tenant, user):
    contract = linked_contract(tenant, user, readings_deadline_day=8)
    point = ServicePointFactory(contract=contract, address="ул. Ленина 1")
    water_meter(contract, point=point, serial_number="CW-1", previous="120", previous_date=D(2026, 9, 5))
    return contract


@pytest.fixture
def cabinet(client, freeze_today, user):
    freeze_today(D(2026, 10, 7))
    client.force_login(user)
    return client


def upload(client, tenant, contract, content, name="readings.csv"):
    data = {"action": "check", "period": "2026-10", "file": SimpleUploadedFile(name, content)}
    response = client.post(url(tenant, "upload", contract), data, follow=True)
    assert response.status_code == 200
    assert not PeriodReading.objects.exists()
    assert not Reading.objects.filter(source=Reading.Source.LEGAL_ENTITY).exists()
    return response.content.decode()


def csv_with_value(value):
    return (HEADER + f"CW-1;ул. Ленина 1;120;05.09.2026;{value};06.10.2026\n").encode()


@pytest.mark.parametrize("value", ["1e20", "1000000000", "9" * 5000, "1E-30", "NaN", "-Infinity", "0x1F"])
def test_a_number_the_page_would_refuse_is_refused_in_the_file(cabinet, tenant, contract, value):
    text = upload(cabinet, tenant, contract, csv_with_value(value))
    assert "✖ Error" in text or "longer than" in text
    assert (
        "Not a number" in text
        or "Enter the reading as a number." in text
        or "more digits than a meter shows" in text
        or "longer than" in text
    )


def test_a_200000_character_csv_field_is_refused_with_a_message(cabinet, tenant, contract):
    text = upload(cabinet, tenant, contract, csv_with_value("1" * 200_000))
    assert "could not be read" in text or "longer than" in text


def test_an_unclosed_quote_over_the_whole_file_is_refused(cabinet, tenant, contract):
    text = upload(cabinet, tenant, contract, (HEADER + 'CW-1;"' + "x" * 150_000).encode())
    assert "could not be read" in text


# -- hand-written XLSX ---------------------------------------------------------------------------

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="xl/workbook.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Readings" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="worksheets/sheet1.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>
<Relationship Id="rId2" Target="sharedStrings.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>
</Relationships>"""
SHARED = """<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">
<si><t>CW-1</t></si></sst>"""


def sheet(rows, dimension="A1:F2"):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )


GOOD_ROW = '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="E2"><v>131</v></c></row>'


def xlsx(sheet_xml, shared=SHARED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/sharedStrings.xml", shared)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buffer.getvalue()


def test_the_hand_written_workbook_is_a_valid_one(cabinet, tenant, contract):
    response = cabinet.post(
        url(tenant, "upload", contract),
        {"action": "check", "period": "2026-10", "file": SimpleUploadedFile("r.xlsx", xlsx(sheet(GOOD_ROW)))},
        follow=True,
    )
    assert "✔ New reading" in response.content.decode() and "Send 1 reading" in response.content.decode()


@pytest.mark.parametrize(
    "sheet_xml",
    [
        sheet(GOOD_ROW)[:-40],  # truncated XML
        sheet('<row r="2"><c r="A2" t="s"><v>0</v></c><c r="E2"><v>abc</v></c></row>'),  # text in a number cell
        sheet('<row r="2"><c r="A2" t="s"><v>0</v></c><c r="!!2"><v>131</v></c></row>'),  # bad cell reference
        sheet('<row r="2"><c r="A2" t="s"><v>99</v></c><c r="E2"><v>131</v></c></row>'),  # no shared string 99
        sheet('<row r="2"><c r="A2" t="s"><v>x</v></c></row>'),  # shared string index not a number
    ],
    ids=["truncated", "text-in-number", "bad-reference", "shared-string-out-of-range", "shared-string-not-a-number"],
)
def test_a_malformed_xlsx_gets_a_clear_message(cabinet, tenant, contract, sheet_xml):
    text = upload(cabinet, tenant, contract, xlsx(sheet_xml), name="readings.xlsx")
    assert "The XLSX file is damaged" in text


def test_a_huge_number_in_an_xlsx_cell_is_refused_by_the_page_rule(cabinet, tenant, contract):
    row = '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="E2"><v>1E+20</v></c></row>'
    text = upload(cabinet, tenant, contract, xlsx(sheet(row)), name="readings.xlsx")
    assert "more digits than a meter shows" in text or "Not a number" in text


def test_a_sheet_declaring_the_whole_grid_is_refused_before_reading_it(cabinet, tenant, contract, monkeypatch):
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    def never(*args, **kwargs):  # the rows are not read: the declared dimension is enough to refuse
        raise AssertionError("rows read")

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", never)
    row = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    text = upload(cabinet, tenant, contract, xlsx(sheet(row, "A1:XFD1048576")), name="readings.xlsx")
    assert f"more than {imports.MAX_ROWS} rows" in text


def test_a_cell_at_the_last_row_under_a_small_declared_dimension_is_not_reached(cabinet, tenant, contract):
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    text = upload(cabinet, tenant, contract, xlsx(sheet(GOOD_ROW + far, "A1:F2")), name="readings.xlsx")
    assert f"more than {imports.MAX_ROWS} rows" in text


def test_a_zip_member_that_inflates_too_far_is_refused_before_loading(cabinet, tenant, contract):
    padding = "<!--" + " " * (imports.MAX_MEMBER_BYTES + 10) + "-->"
    data = xlsx(sheet(GOOD_ROW).replace("<sheetData>", padding + "<sheetData>"))
    assert len(data) < imports.MAX_FILE_BYTES
    text = upload(cabinet, tenant, contract, data, name="readings.xlsx")
    assert "The XLSX file is damaged" in text


def test_a_sheet_wider_than_the_limit_is_refused(cabinet, tenant, contract):
    text = upload(cabinet, tenant, contract, xlsx(sheet(GOOD_ROW, "A1:ZZ2")), name="readings.xlsx")
    assert "columns" in text

