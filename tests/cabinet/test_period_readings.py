"""Cold-water readings for a reporting period (W5) and W4 meter readings: one row per meter,
Save keeps drafts at any time, Submit books the accepted rows at once and explains refusals."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cabinet.models import PeriodReading
from meters.models import Meter, Reading
from portal.models import Workflow
from tests.accounts.factories import UserFactory
from tests.cabinet.factories import linked_contract
from tests.cabinet.readings_support import row_data, url, water_meter, water_tenant
from tests.meters.factories import MeterFactory, ServicePointFactory

pytestmark = pytest.mark.django_db
D = datetime.date
IN_WINDOW = D(2026, 10, 7)  # deadline 8 October 2026 (Thursday) for October: window 6-8 October
OUTSIDE = D(2026, 10, 20)


@pytest.fixture
def tenant(db):
    return water_tenant()


@pytest.fixture
def contract(tenant, user):
    return linked_contract(tenant, user, readings_deadline_day=8)


@pytest.fixture
def meter(contract):
    return water_meter(
        contract,
        serial_number="ХВ-100200",
        model="Бетар СХВ-15",
        previous="120",
        previous_date=D(2026, 9, 5),
        point=ServicePointFactory(contract=contract, address="ул. Пушкинская 154"),
    )


def submit(client, tenant, contract, data, action="submit", period="2026-10"):
    return client.post(url(tenant, "period", contract), {**data, "period": period, action: "1"}, follow=True)


def row_html(response, meter):
    text = response.content.decode()
    start = text.index(f'id="meter-{meter.pk}"')
    return text[text.rindex("<tr", 0, start) : text.index("</tr>", start)]


def test_the_page_lists_each_meter_with_what_the_subscriber_needs(client, freeze_today, user, tenant, contract, meter):
    overdue = water_meter(contract, serial_number="ХВ-OLD", verification_due_on=D(2026, 1, 31))
    freeze_today(IN_WINDOW)
    client.force_login(user)
    response = client.get(url(tenant, "period", contract))
    row = row_html(response, meter)
    for shown in ("ХВ-100200", "ул. Пушкинская 154", "Бетар СХВ-15", "120 m³", f'value="{IN_WINDOW.isoformat()}"'):
        assert shown in row
    assert "Verification overdue" not in row
    assert "Verification overdue" in row_html(response, overdue)
    assert "5 black digits" in response.content.decode()
    assert '<option value="2026-10" selected>October 2026</option>' in response.content.decode()


def test_an_accepted_reading_is_booked_at_once_and_its_row_turns_green(
    client, freeze_today, user, tenant, contract, meter
):
    freeze_today(IN_WINDOW)
    client.force_login(user)
    response = submit(client, tenant, contract, row_data(meter, "131", IN_WINDOW))
    booked = Reading.objects.get(meter=meter, source=Reading.Source.LEGAL_ENTITY)
    assert (booked.value, booked.reading_date, booked.entered_by) == (Decimal("131"), IN_WINDOW, user)
    assert PeriodReading.objects.get(meter=meter).booked_reading == booked
    row = row_html(response, meter)
    assert 'class="row-ok"' in row and "Accepted" in row
    assert "1 reading accepted." in response.content.decode()


def test_fractional_cubic_metres_are_refused_in_a_red_row_with_the_reason(
    client, freeze_today, user, tenant, contract, meter
):
    freeze_today(IN_WINDOW)
    client.force_login(user)
    response = submit(client, tenant, contract, row_data(meter, "131,456", IN_WINDOW))
    row = row_html(response, meter)
    assert 'class="row-error"' in row
    assert "Refused" in row and "Only whole cubic metres are accepted" in row
    assert PeriodReading.objects.get(meter=meter).status == PeriodReading.Status.REFUSED
    assert not Reading.objects.filter(source=Reading.Source.LEGAL_ENTITY).exists()


def test_a_reading_below_the_previous_one_is_refused(client, freeze_today, user, tenant, contract, meter):
    freeze_today(IN_WINDOW)
    client.force_login(user)
    response = submit(client, tenant, contract, row_data(meter, "119", IN_WINDOW))
    assert "The reading cannot be below the previous one: 120 on 05.09.2026." in row_html(response, meter)
    assert PeriodReading.objects.get(meter=meter).refusal_reason.startswith("The reading cannot be below")


def test_a_reading_dated_in_the_future_is_refused(client, freeze_today, user, tenant, contract, meter):
    freeze_today(IN_WINDOW)
    client.force_login(user)
    response = submit(client, tenant, contract, row_data(meter, "125", IN_WINDOW + datetime.timedelta(days=1)))
    assert "The reading date cannot be in the future." in row_html(response, meter)


def test_green_and_red_rows_side_by_side(client, freeze_today, user, tenant, contract, meter):
    other = water_meter(contract, previous="500")
    freeze_today(IN_WINDOW)
    client.force_login(user)
    response = submit(
        client, tenant, contract, {**row_data(meter, "125", IN_WINDOW), **row_data(other, "499", IN_WINDOW)}
    )
    assert 'class="row-ok"' in row_html(response, meter)
    assert 'class="row-error"' in row_html(response, other)
    assert "1 reading refused" in response.content.decode()


def test_a_refused_row_can_be_corrected_and_submitted_again(client, freeze_today, user, tenant, contract, meter):
    freeze_today(IN_WINDOW)
    client.force_login(user)
    submit(client, tenant, contract, row_data(meter, "119.5", IN_WINDOW))
    submit(client, tenant, contract, row_data(meter, "125", IN_WINDOW))
    assert PeriodReading.objects.get(meter=meter).status == PeriodReading.Status.ACCEPTED
    assert Reading.objects.filter(meter=meter, source=Reading.Source.LEGAL_ENTITY).count() == 1


def test_a_draft_is_saved_outside_the_window_and_nothing_is_booked(client, freeze_today, user, tenant, contract, meter):
    freeze_today(OUTSIDE)
    client.force_login(user)
    response = submit(client, tenant, contract, row_data(meter, "133", OUTSIDE), action="save")
    draft = PeriodReading.objects.get(meter=meter)
    assert (draft.status, draft.value, draft.saved_by) == (PeriodReading.Status.DRAFT, Decimal("133"), user)
    assert 'value="133"' in row_html(response, meter)
    assert not Reading.objects.filter(source=Reading.Source.LEGAL_ENTITY).exists()


def test_saving_does_not_touch_an_accepted_reading(client, freeze_today, user, tenant, contract, meter):
    freeze_today(IN_WINDOW)
    client.force_login(user)
    submit(client, tenant, contract, row_data(meter, "125", IN_WINDOW))
    submit(client, tenant, contract, row_data(meter, "999", IN_WINDOW), action="save")
    assert PeriodReading.objects.get(meter=meter).value == Decimal("125")


def test_an_unreadable_value_is_marked_at_its_row_and_nothing_is_saved(
    client, freeze_today, user, tenant, contract, meter
):
    freeze_today(IN_WINDOW)
    client.force_login(user)
    response = submit(client, tenant, contract, row_data(meter, "12x"))
    assert "Not a number: “12x” contains letters." in row_html(response, meter)
    assert not PeriodReading.objects.exists()


def test_a_reading_without_a_date_asks_for_the_date_instead_of_taking_today(
    client, freeze_today, user, tenant, contract, meter
):
    freeze_today(IN_WINDOW)
    client.force_login(user)
    response = submit(client, tenant, contract, row_data(meter, "125"))
    assert "Enter the date of the reading." in row_html(response, meter)
    assert not PeriodReading.objects.exists()


@pytest.mark.parametrize("language", ["az", "ru"])
def test_the_reading_date_is_rendered_in_iso_and_posting_it_back_works(
    client, freeze_today, user, tenant, contract, meter, language
):
    freeze_today(IN_WINDOW)
    user.preferred_language = language
    user.save()
    client.force_login(user)
    page = client.get(url(tenant, "period", contract), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'name="m{meter.pk}-reading_date" value="{IN_WINDOW.isoformat()}"' in page
    submit(client, tenant, contract, row_data(meter, "125", IN_WINDOW))
    assert PeriodReading.objects.get(meter=meter).reading_date == IN_WINDOW


def test_w5_lists_cold_water_meters_only_and_w4_every_meter(client, freeze_today, user):
    freeze_today(IN_WINDOW)
    client.force_login(user)
    for workflow, shown in ((Workflow.CONTRACT_CABINET, False), (Workflow.LEGAL_CABINET, True)):
        tenant = water_tenant(f"t-{workflow}", workflow=workflow)
        contract = linked_contract(tenant, user)
        point = ServicePointFactory(contract=contract)
        MeterFactory(account=contract.account, service_point=point, kind=Meter.Kind.HOT_WATER, serial_number="HOT-1")
        MeterFactory(account=contract.account, service_point=point, kind=Meter.Kind.ELECTRICITY, serial_number="EL-1")
        text = client.get(url(tenant, "period", contract)).content.decode()
        assert ("EL-1" in text) is shown and ("HOT-1" in text) is shown


def test_the_page_costs_the_same_queries_for_1_and_100_meters(client, freeze_today, user, tenant, contract, meter):
    freeze_today(IN_WINDOW)
    client.force_login(user)
    page = url(tenant, "period", contract)
    client.get(page)  # warm the session and the calendar caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(page).status_code == 200
    point = meter.service_point
    for number in range(99):
        water_meter(contract, point=point, serial_number=f"BULK-{number}", previous=str(100 + number))
    PeriodReading.objects.create(
        tenant=tenant, contract=contract, meter=meter, period=D(2026, 10, 1), value=130, reading_date=IN_WINDOW
    )
    with CaptureQueriesContext(connection) as hundred:
        response = client.get(page)
    assert response.content.decode().count('id="meter-') == 100
    assert len(hundred) == len(one)


def test_another_organizations_member_gets_404_on_every_readings_page(client, tenant, contract, meter):
    client.force_login(UserFactory(email="stranger@example.com"))
    for name, kwargs in (
        ("period", {}),
        ("upload", {}),
        ("template", {"fmt": "csv"}),
        ("hot_water", {}),
        ("archive", {}),
        ("archive_csv", {}),
    ):
        assert client.get(url(tenant, name, contract, **kwargs)).status_code == 404, name
