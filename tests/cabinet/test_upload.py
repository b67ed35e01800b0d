"""Uploading a period's readings as CSV or XLSX (W5): the per-contract template, every row checked
by the page's rules, a per-row report before anything is saved, and "submit only the valid rows"."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from cabinet.models import PeriodReading
from meters.models import Reading
from tests.cabinet.factories import linked_contract
from tests.cabinet.readings_support import url, water_meter, water_tenant
from tests.meters.factories import ServicePointFactory

pytestmark = pytest.mark.django_db
D = datetime.date
IN_WINDOW = D(2026, 10, 7)
HEADER = "Meter number;Installation address;Previous reading;Previous reading date;Current reading;Date\n"


@pytest.fixture
def tenant(db):
    return water_tenant()


@pytest.fixture
def contract(tenant, user):
    return linked_contract(tenant, user, readings_deadline_day=8)


@pytest.fixture
def meters(contract):
    point = ServicePointFactory(contract=contract, address="ул. Ленина 1")
    return [
        water_meter(contract, point=point, serial_number="CW-1", previous="120", previous_date=D(2026, 9, 5)),
        water_meter(contract, point=point, serial_number="CW-2", previous="500", previous_date=D(2026, 9, 5)),
    ]


@pytest.fixture
def cabinet(client, freeze_today, user):
    freeze_today(IN_WINDOW)
    client.force_login(user)
    return client


def upload(client, tenant, contract, content, name="readings.csv", period="2026-10"):
    data = {"action": "check", "period": period, "file": SimpleUploadedFile(name, content)}
    return client.post(url(tenant, "upload", contract), data, follow=True)


def legal_readings():
    return Reading.objects.filter(source=Reading.Source.LEGAL_ENTITY)


def test_the_csv_template_lists_the_contracts_meters_with_their_previous_readings(cabinet, tenant, contract, meters):
    response = cabinet.get(url(tenant, "template", contract, fmt="csv"))
    assert response["Content-Disposition"].startswith("attachment;")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == HEADER.strip()
    assert lines[1:] == ["CW-1;ул. Ленина 1;120;05.09.2026;;", "CW-2;ул. Ленина 1;500;05.09.2026;;"]


def test_the_xlsx_template_opens_with_the_same_columns(cabinet, tenant, contract, meters):
    response = cabinet.get(url(tenant, "template", contract, fmt="xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Meter number" and rows[0][4] == "Current reading"
    assert [row[:3] for row in rows[1:]] == [["CW-1", "ул. Ленина 1", "120"], ["CW-2", "ул. Ленина 1", "500"]]


def send(client, tenant, contract, preview, period="2026-10"):
    """Press "Send" on the preview page ``preview``."""
    token = re.search(r'name="token" value="([^"]+)"', preview.content.decode()).group(1)
    data = {"action": "send", "period": period, "token": token}
    return client.post(url(tenant, "upload", contract), data, follow=True)


def preview_rows(response):
    """The preview table's rows as text: status, row, meter, previous, current, date, consumption."""
    section = re.search(r'<section[^>]*id="preview".*?</section>', response.content.decode(), re.S).group(0)
    return [
        [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", section.split("<tbody>")[1], re.S)
    ]


def test_a_valid_file_is_previewed_and_saved_only_on_send(cabinet, tenant, contract, meters):
    content = (HEADER + "CW-1;;120;;131;06.10.2026\nCW-2;;500;;512;\n").encode()
    preview = upload(cabinet, tenant, contract, content)
    assert "Check before sending — nothing has been saved yet" in preview.content.decode()
    assert preview_rows(preview) == [
        ["✔ New reading", "2", "CW-1", "120 05.09.2026", "131", "06.10.2026", "11"],
        ["✔ New reading", "3", "CW-2", "500 05.09.2026", "512", "07.10.2026", "12"],
    ]
    assert not legal_readings().exists()

    response = send(cabinet, tenant, contract, preview)
    assert response.redirect_chain[-1][0].endswith("?period=2026-10")
    assert {(r.meter.serial_number, r.value, r.reading_date) for r in legal_readings()} == {
        ("CW-1", Decimal("131"), D(2026, 10, 6)),
        ("CW-2", Decimal("512"), IN_WINDOW),  # an empty date means today
    }
    assert "2 readings accepted." in response.content.decode()


def test_a_comma_separated_file_is_read_too(cabinet, tenant, contract, meters):
    content = b"Meter number,Address,Previous,Previous date,Current reading,Date\nCW-1,,,,131,2026-10-06\n"
    send(cabinet, tenant, contract, upload(cabinet, tenant, contract, content))
    assert legal_readings().get().value == Decimal("131")


@pytest.mark.parametrize(
    "encoding, separator",
    [("cp1251", ";"), ("utf-16", "\t"), ("utf-8-sig", ";"), ("utf-8", ";")],
    ids=["excel-csv-cp1251", "excel-unicode-text-utf16", "csv-utf8-bom", "utf8"],
)
def test_excel_encodings_are_detected(cabinet, tenant, contract, meters, encoding, separator):
    lines = (
        ["№ счётчика", "Адрес", "Предыдущее", "Дата", "Текущее", "Дата"],
        ["CW-1", "ул. Ленина 1", "120", "", "131", ""],
    )
    content = "\r\n".join(separator.join(line) for line in lines).encode(encoding)
    preview = upload(cabinet, tenant, contract, content)
    assert preview_rows(preview)[0][:3] == ["✔ New reading", "2", "CW-1"]
    send(cabinet, tenant, contract, preview)
    assert legal_readings().get().value == Decimal("131")


def test_invalid_rows_show_the_offending_value_and_nothing_is_saved(cabinet, tenant, contract, meters):
    content = (HEADER + "CW-1;;;;131.5;\nCW-2;;;;499;\nXX-9;;;;10;\nCW-1;;;;;\n").encode()
    response = upload(cabinet, tenant, contract, content)
    text = response.content.decode()
    assert "Only whole cubic metres are accepted" in text
    assert "The reading cannot be below the previous one: 500" in text
    assert "No meter with this number on the contract." in text
    assert not PeriodReading.objects.exists() and not legal_readings().exists()
    assert 'name="token"' not in text  # no row to send
    rows = preview_rows(upload(cabinet, tenant, contract, (HEADER + "CW-2;;;;12 abc;31.02.2026\n").encode()))
    assert rows[0][4] == "12 abc" and "Not a number" in rows[0][0]
    rows = preview_rows(upload(cabinet, tenant, contract, (HEADER + "CW-2;;;;512;31.02.2026\n").encode()))
    assert rows[0][5] == "31.02.2026" and "The date is not recognised" in rows[0][0]


def test_only_the_valid_rows_are_sent(cabinet, tenant, contract, meters):
    preview = upload(cabinet, tenant, contract, (HEADER + "CW-1;;;;131;\nCW-2;;;;499;\n").encode())
    assert "Send 1 reading" in preview.content.decode()
    assert not legal_readings().exists()

    response = send(cabinet, tenant, contract, preview)
    assert [(r.meter.serial_number, r.value) for r in legal_readings()] == [("CW-1", Decimal("131"))]
    assert not PeriodReading.objects.filter(meter=meters[1]).exists()
    assert "1 reading accepted." in response.content.decode()


def test_a_preview_cannot_be_sent_twice(cabinet, tenant, contract, meters):
    preview = upload(cabinet, tenant, contract, (HEADER + "CW-1;;;;131;\nCW-2;;;;499;\n").encode())
    send(cabinet, tenant, contract, preview)
    response = send(cabinet, tenant, contract, preview)
    assert "The checked file is no longer available" in response.content.decode()
    assert legal_readings().count() == 1


def test_an_xlsx_file_is_read(cabinet, tenant, contract, meters):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Meter number", "Address", "Previous", "Previous date", "Current reading", "Date"])
    sheet.append(["CW-1", "", 120, "", 131, datetime.datetime(2026, 10, 6)])
    sheet.append(["CW-2", "", 500, "", 505.25, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = upload(cabinet, tenant, contract, buffer.getvalue(), name="readings.xlsx")
    assert "Only whole cubic metres are accepted" in preview.content.decode()
    send(cabinet, tenant, contract, preview)
    assert [(r.value, r.reading_date) for r in legal_readings()] == [(Decimal("131"), D(2026, 10, 6))]


def test_uploading_an_accepted_period_again_reports_unchanged_rows_and_corrects_changed_ones(
    cabinet, tenant, contract, meters
):
    first = upload(cabinet, tenant, contract, (HEADER + "CW-1;;;;131;\nCW-2;;;;512;\n").encode())
    send(cabinet, tenant, contract, first)
    old = legal_readings().get(meter=meters[1])

    again = upload(cabinet, tenant, contract, (HEADER + "CW-1;;;;131;\nCW-2;;;;515;\n").encode())
    rows = preview_rows(again)
    assert rows[0][0] == "= Unchanged: already accepted with this figure"
    assert rows[1][0] == "✔ Correction: replaces the accepted reading" and rows[1][6] == "15"
    text = send(cabinet, tenant, contract, again).content.decode()

    assert "1 accepted reading corrected" in text and "1 reading unchanged" in text
    assert "readings accepted" not in text
    old.refresh_from_db()
    new = Reading.objects.get(supersedes=old)
    assert (old.status, new.status, new.value) == (Reading.Status.SUPERSEDED, Reading.Status.ACCEPTED, 515)
    assert PeriodReading.objects.get(meter=meters[1]).booked_reading == new
    assert legal_readings().filter(meter=meters[0]).count() == 1


def test_a_file_of_unchanged_rows_only_has_nothing_to_send(cabinet, tenant, contract, meters):
    send(cabinet, tenant, contract, upload(cabinet, tenant, contract, (HEADER + "CW-1;;;;131;\n").encode()))
    again = upload(cabinet, tenant, contract, (HEADER + "CW-1;;;;131;\n").encode())
    assert "1 row is unchanged" in again.content.decode() and 'name="token"' not in again.content.decode()


def test_a_file_that_is_not_a_table_is_refused(cabinet, tenant, contract, meters):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    response = upload(cabinet, tenant, contract, png, name="readings.csv")
    assert "Upload the readings as a CSV or XLSX file" in response.content.decode()
    response = upload(cabinet, tenant, contract, (HEADER + "CW-1;;;;131;\n").encode(), name="readings.xlsx")
    assert "Upload the readings as a CSV or XLSX file" in response.content.decode()
    assert not legal_readings().exists()


def test_a_file_over_2_mb_is_refused(cabinet, tenant, contract, meters):
    content = (HEADER + "CW-1;;;;131;\n" + "#" * (2 * 1024 * 1024)).encode()
    response = upload(cabinet, tenant, contract, content)
    assert "larger than 2 MB" in response.content.decode()


def test_an_upload_outside_the_window_is_refused_with_the_window_dates(
    client, freeze_today, user, tenant, contract, meters
):
    freeze_today(D(2026, 10, 20))
    client.force_login(user)
    response = upload(client, tenant, contract, (HEADER + "CW-1;;;;131;\n").encode())
    assert "Submission for October 2026 closed on 8 October 2026" in response.content.decode()
    assert not PeriodReading.objects.exists()
