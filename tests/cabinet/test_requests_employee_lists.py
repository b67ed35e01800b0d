"""Employee lists: a signed list of employees, marked received and then confirmed by staff."""

import pytest

from applications.models import Application, Status
from cabinet.models import Employee
from tests.cabinet.requests_support import admin_action, key, make_cabinet, make_reviewer

pytestmark = pytest.mark.django_db

ANVAR = {"full_name": "Anvar Toshmatov", "position": "Engineer", "personal_number": "T-001", "phone": "+998901234567"}
NODIRA = {
    "full_name": "Nodira Rahimova",
    "position": "Accountant",
    "personal_number": "T-002",
    "passport_number": "AA1234567",
}


@pytest.fixture
def cab():
    return make_cabinet()


def list_data(rows, idempotency_key=None, declaration=True, **extra):
    data = {
        "idempotency_key": idempotency_key or key(),
        "signer_name": "Dilshod Karimov",
        "signer_position": "Director",
        "employees-TOTAL_FORMS": str(len(rows)),
        "employees-INITIAL_FORMS": "0",
        "employees-MIN_NUM_FORMS": "1",
        "employees-MAX_NUM_FORMS": "200",
        **extra,
    }
    if declaration:
        data["declaration"] = "on"
    for i, row in enumerate(rows):
        for name, value in row.items():
            data[f"employees-{i}-{name}"] = value
    return data


def test_a_signed_list_is_registered_with_its_employees(client, cab):
    client.force_login(cab.accountant)
    response = client.post(cab.url("employee_list_new"), list_data([ANVAR, {}, NODIRA]))

    application = Application.objects.get(kind__code="employee_list")
    assert response["Location"] == cab.url("detail", number=application.number)
    assert application.employee_list.signed_by == "Dilshod Karimov, Director"
    assert sorted(Employee.objects.values_list("personal_number", flat=True)) == ["T-001", "T-002"]
    listing = client.get(cab.url("employee_lists")).content.decode()
    assert application.number in listing and "Submitted" in listing


def test_the_same_personal_number_twice_is_a_clear_error(client, cab):
    client.force_login(cab.accountant)
    # Spaces and case do not make a number different.
    twice = {**NODIRA, "personal_number": "t-0 01"}
    page = client.post(cab.url("employee_list_new"), list_data([ANVAR, twice]))

    assert page.status_code == 200
    assert "Personal number T-001 is already in row 1. Enter each employee once." in page.content.decode()
    assert not Application.objects.exists()


def test_the_list_must_be_declared_signed(client, cab):
    client.force_login(cab.accountant)
    page = client.post(cab.url("employee_list_new"), list_data([ANVAR], declaration=False))
    assert page.status_code == 200
    assert "I confirm the list is signed" in page.content.decode()
    assert not Application.objects.exists()


def test_add_another_row_without_javascript_keeps_the_rows_typed(client, cab):
    client.force_login(cab.accountant)
    page = client.post(cab.url("employee_list_new"), list_data([ANVAR], add_row="1"))

    text = page.content.decode()
    assert page.status_code == 200
    assert 'value="Anvar Toshmatov"' in text
    assert 'name="employees-1-full_name"' in text
    assert "error-summary" not in text
    assert not Application.objects.exists()


def test_posting_the_list_twice_creates_one_application(client, cab):
    client.force_login(cab.accountant)
    data = list_data([ANVAR])
    client.post(cab.url("employee_list_new"), data)
    client.post(cab.url("employee_list_new"), data)
    assert Application.objects.count() == 1
    assert Employee.objects.count() == 1


def test_staff_mark_the_list_received_then_confirm_it(client, cab):
    client.force_login(cab.accountant)
    client.post(cab.url("employee_list_new"), list_data([ANVAR]))
    application = Application.objects.get()

    make_reviewer(client, cab.tenant)
    change_page = client.get(f"/admin/cabinet/requestapplication/{application.pk}/change/")
    assert "Anvar Toshmatov" in change_page.content.decode()
    admin_action(client, "mark_list_received", [application])
    client.force_login(cab.accountant)
    assert "Received" in client.get(cab.url("employee_lists")).content.decode()

    make_reviewer(client, cab.tenant)
    admin_action(client, "confirm_list", [application])
    application.refresh_from_db()
    assert application.status == Status.EXECUTED
    client.force_login(cab.accountant)
    listing = client.get(cab.url("employee_lists")).content.decode()
    assert "Confirmed by Uzbekenergo on" in listing


def test_mark_received_refuses_other_kinds(client, cab):
    client.force_login(cab.accountant)
    client.post(
        cab.url("claim_new"), {"idempotency_key": key(), "subject": "Question", "text": "Where is the invoice?"}
    )
    claim = Application.objects.get()

    make_reviewer(client, cab.tenant)
    result = admin_action(client, "mark_list_received", [claim])
    assert f"{claim.number}: {claim.number} is not of the kind “Employee list”." in result.content.decode()
    claim.refresh_from_db()
    assert claim.status == Status.SUBMITTED
