"""A file of 10,000 readings (issue #12, goal 4): checked and saved in a constant number of queries
per round of CHUNK_SIZE meters, never per row."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cabinet import imports
from cabinet.services.period_readings import CHUNK_SIZE
from cabinet.views.readings import ROUTINE_ROWS_SHOWN
from meters.models import Reading
from tests.cabinet.bulk_support import csv_file, many_meters, whole_statements  # noqa: F401 (fixture)
from tests.cabinet.factories import linked_contract
from tests.cabinet.readings_support import url, water_tenant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("whole_statements")]
IN_WINDOW = datetime.date(2026, 10, 7)
# What one round of meters may cost: lock, meters, period rows, readings insert, period rows upsert
# (check: meters and period rows), with a margin.
MAX_QUERIES_PER_ROUND = 8


@pytest.fixture
def tenant(db):
    return water_tenant()


@pytest.fixture
def cabinet(client, freeze_today, user):
    freeze_today(IN_WINDOW)
    client.force_login(user)
    return client


def check_and_send(client, tenant, contract, content):
    """Queries of "Check the file" and of "Send", and the send's response (not followed)."""
    page = url(tenant, "upload", contract)
    with CaptureQueriesContext(connection) as check:
        data = {"action": "check", "period": "2026-10", "file": SimpleUploadedFile("r.csv", content)}
        preview = client.post(page, data)
    token = re.search(r'name="token" value="([^"]+)"', preview.content.decode()).group(1)
    with CaptureQueriesContext(connection) as send:
        sent = client.post(page, {"action": "send", "period": "2026-10", "token": token})
    return len(check), len(send), sent


def test_10000_rows_cost_queries_per_round_of_meters_not_per_row(cabinet, tenant, user):
    assert imports.MAX_ROWS >= 10_000 and CHUNK_SIZE == 1000
    small = linked_contract(tenant, user, readings_deadline_day=8)
    large = linked_contract(tenant, user, readings_deadline_day=8)
    small_meters = many_meters(small, 1_000, prefix="S")
    large_meters = many_meters(large, 10_000, prefix="L")

    # Warm up: the first request of a process loads the tenants into their cache (one query).
    cabinet.get(url(tenant, "upload", small))
    check_1k, send_1k, _sent = check_and_send(cabinet, tenant, small, csv_file(small_meters))
    check_10k, send_10k, sent = check_and_send(cabinet, tenant, large, csv_file(large_meters))

    assert sent.status_code == 302
    assert Reading.objects.filter(meter__in=large_meters, source=Reading.Source.LEGAL_ENTITY).count() == 10_000
    # 9 more rounds of meters, each costing the same few queries; the 9,000 more rows cost nothing.
    per_round_check, per_round_send = (check_10k - check_1k) / 9, (send_10k - send_1k) / 9
    assert per_round_check == int(per_round_check) and 0 < per_round_check <= MAX_QUERIES_PER_ROUND
    assert per_round_send == int(per_round_send) and 0 < per_round_send <= MAX_QUERIES_PER_ROUND
    assert send_10k < 100 and check_10k < 60


def test_corrections_of_accepted_readings_cost_queries_per_round_too(cabinet, tenant, user, monkeypatch):
    # Rounds of 100 meters, so that 1,000 rows are 10 rounds (the 10,000-row test above uses the real size).
    for module in ("period_readings", "saving_readings"):
        monkeypatch.setattr(f"cabinet.services.{module}.CHUNK_SIZE", 100)
    small = linked_contract(tenant, user, readings_deadline_day=8)
    large = linked_contract(tenant, user, readings_deadline_day=8)
    small_meters = many_meters(small, 100, prefix="S")
    large_meters = many_meters(large, 1_000, prefix="L")
    for contract, meters in ((small, small_meters), (large, large_meters)):
        check_and_send(cabinet, tenant, contract, csv_file(meters))

    _check, send_small, _sent = check_and_send(cabinet, tenant, small, csv_file(small_meters, add=7))
    _check, send_large, _sent = check_and_send(cabinet, tenant, large, csv_file(large_meters, add=7))

    superseded = Reading.objects.filter(meter__in=large_meters, status=Reading.Status.SUPERSEDED)
    assert superseded.count() == 1_000
    assert Reading.objects.filter(supersedes__in=superseded, value=107).count() == 1  # meter 0: 100 + 7
    per_round = (send_large - send_small) / 9
    # + the corrections' lock, update, insert and savepoint.
    assert per_round == int(per_round) and 0 < per_round <= MAX_QUERIES_PER_ROUND + 5


def test_a_file_over_the_row_limit_is_refused_with_the_limit(cabinet, tenant, user):
    contract = linked_contract(tenant, user, readings_deadline_day=8)
    content = ("Meter;A;B;C;Current;Date\n" + "X;;;;1;\n" * (imports.MAX_ROWS + 1)).encode()
    response = cabinet.post(
        url(tenant, "upload", contract),
        {"action": "check", "period": "2026-10", "file": SimpleUploadedFile("r.csv", content)},
    )
    assert f"The file has more than {imports.MAX_ROWS} rows." in response.content.decode()


def test_the_preview_lists_every_row_that_needs_attention_and_counts_the_others(cabinet, tenant, user):
    contract = linked_contract(tenant, user, readings_deadline_day=8)
    meters = many_meters(contract, 300)
    content = csv_file(meters) + b"NO-SUCH-METER;;;;5;06.10.2026\n" + f"{meters[299].serial_number};;;;1;\n".encode()
    page = cabinet.post(
        url(tenant, "upload", contract),
        {"action": "check", "period": "2026-10", "file": SimpleUploadedFile("r.csv", content)},
    ).content.decode()

    preview = re.search(r'<section[^>]*id="preview".*?</section>', page, re.S).group(0)
    assert preview.count('class="row-ok"') == ROUTINE_ROWS_SHOWN  # the first 50 new readings
    assert preview.count('class="row-error"') == 2  # the unknown meter and the repeated one, in full
    assert "NO-SUCH-METER" in preview and "This meter appears more than once in the file." in preview
    assert "(new or unchanged readings): 250." in preview  # 300 valid rows, 50 of them listed
    assert "Send 300 readings" in preview
