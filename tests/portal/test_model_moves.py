"""A database at the old layout (W1 and cabinet models inside meters/ and applications/) migrated
forward keeps every row: the models moved to readings/ and cabinet/ with their tables, and their
content types (so staff permissions) moved with them."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The last migrations before the move (the workflow apps did not exist), and the move itself.
OLD_LAYOUT = [
    ("meters", "0005_field_labels"),
    ("applications", "0005_field_labels"),
    ("readings", None),
    ("cabinet", None),
    ("removals", None),
    # W2 came later and depends on today's meters: at the old layout it is not migrated at all.
    ("connections", None),
]
NEW_LAYOUT = [
    ("meters", "0006_models_moved_to_readings_and_cabinet"),
    ("applications", "0006_models_moved_to_cabinet"),
    ("readings", "0001_initial"),
    ("cabinet", "0001_initial"),
    # W2 and W3 came later (they need today's meters): not there yet at the move.
    ("removals", None),
    ("connections", None),
]
MOVED = {
    "readings": {"meters": ["submittedreading", "onsitecheck", "inspectedreading", "readingsapplication"]},
    "cabinet": {
        "meters": ["contractlink", "periodreading", "hotwatervolume"],
        "applications": ["limitchangerequest", "requisiteschange", "claim", "employeelist", "employee"],
    },
}


def seed_old_layout(apps):
    """One row of every moved model, written through the historical models of the old layout."""
    get = apps.get_model
    tenant = get("portal", "Tenant").objects.create(
        slug="azersu", name="Azersu", country_code="AZ", default_language="az", currency="AZN", workflows=[]
    )
    branch = get("portal", "Branch").objects.create(tenant=tenant, code="NAS", name="Nasimi")
    user = get("accounts", "User").objects.create(email="citizen@example.com", full_name="Aysel")
    organization = get("accounts", "Organization").objects.create(name="Izhstal", tax_number="1833001122")
    account = get("meters", "SubscriberAccount").objects.create(
        tenant=tenant, branch=branch, code="1000001", holder_name="Aysel", address="Nizami 1"
    )
    meter = get("meters", "Meter").objects.create(
        tenant=tenant, account=account, serial_number="SN1", kind="cold_water", installed_on=datetime.date(2024, 1, 1)
    )
    reading = get("meters", "Reading").objects.create(
        tenant=tenant, meter=meter, value=Decimal("12"), reading_date=datetime.date(2026, 10, 1)
    )
    kind = get("applications", "ApplicationKind").objects.create(tenant=tenant, code="meter_readings", name="Readings")
    application = get("applications", "Application").objects.create(
        tenant=tenant,
        number="AZS-2026-000001",
        kind=kind,
        applicant=user,
        account=account,
        branch=branch,
        language="az",
        idempotency_key="k1",
        due_on=datetime.date(2026, 10, 8),
    )
    get("meters", "SubmittedReading").objects.create(
        tenant=tenant,
        application=application,
        meter=meter,
        entered_serial="SN1",
        value=Decimal("13"),
        reading_date=datetime.date(2026, 10, 2),
    )
    check = get("meters", "OnSiteCheck").objects.create(
        tenant=tenant, application=application, branch=branch, reason="Seal", due_on=datetime.date(2026, 10, 9)
    )
    get("meters", "InspectedReading").objects.create(check_visit=check, meter=meter, value=Decimal("13"))
    contract = get("meters", "Contract").objects.create(
        tenant=tenant,
        account=account,
        number="ИВК-1",
        tax_number="1833001122",
        counterparty_name="Izhstal",
        organization=organization,
        readings_deadline_day=8,
        signed_on=datetime.date(2025, 1, 1),
    )
    point = get("meters", "ServicePoint").objects.create(tenant=tenant, contract=contract, address="Ижевск")
    get("meters", "ContractLink").objects.create(
        tenant=tenant, contract=contract, organization=organization, requested_by=user, status="active"
    )
    get("meters", "PeriodReading").objects.create(
        tenant=tenant,
        contract=contract,
        meter=meter,
        period=datetime.date(2026, 10, 1),
        value=Decimal("12"),
        reading_date=datetime.date(2026, 10, 8),
        booked_reading=reading,
    )
    get("meters", "HotWaterVolume").objects.create(
        tenant=tenant, contract=contract, service_point=point, period=datetime.date(2026, 10, 1), volume=Decimal("3")
    )
    get("applications", "LimitChangeRequest").objects.create(
        application=application,
        contract=contract,
        new_limit=Decimal("100"),
        effective_from=datetime.date(2026, 11, 1),
        reason="More staff",
    )
    get("applications", "RequisitesChange").objects.create(
        application=application,
        organization=organization,
        bank_name="Bank",
        bank_code="049401601",
        bank_account="40702810868000012345",
    )
    get("applications", "Claim").objects.create(application=application, contract=contract, subject="S", text="T")
    employee_list = get("applications", "EmployeeList").objects.create(
        application=application, contract=contract, signed_by="Director"
    )
    get("applications", "Employee").objects.create(
        employee_list=employee_list, full_name="Ivan", position="Fitter", personal_number="7"
    )


def content_types_at_old_labels(apps):
    """The content types as the old layout had them, each with a permission a staff group holds."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    group = apps.get_model("auth", "Group").objects.create(name="Reviewers")
    for new_app, by_old_app in MOVED.items():
        for old_app, models in by_old_app.items():
            for model in models:
                # The test database was built at today's layout: put its content types back where they were.
                ContentType.objects.filter(app_label=new_app, model=model).delete()
                content_type = ContentType.objects.create(app_label=old_app, model=model)
                group.permissions.add(
                    Permission.objects.create(content_type=content_type, codename=f"view_{model}", name=f"view {model}")
                )


def migrate(targets):
    """Migrate the test database to ``targets``; returns the historical models there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    # The state there: the targets, and every other app as far as it is migrated.
    named = {app for app, _name in targets}
    nodes = [target for target in targets if target[1] is not None]
    nodes += [node for node in executor.loader.graph.leaf_nodes() if node[0] not in named]
    return executor.loader.project_state(nodes).apps


@pytest.fixture
def old_layout(transactional_db):
    """The test database taken back to the old layout, and forward to today's after the test."""
    yield migrate(OLD_LAYOUT)
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_rows_and_permissions_at_the_old_layout_survive_the_move(old_layout):
    seed_old_layout(old_layout)
    content_types_at_old_labels(old_layout)

    apps = migrate(NEW_LAYOUT)

    get = apps.get_model
    for label, count in {
        "readings.SubmittedReading": 1,
        "readings.OnSiteCheck": 1,
        "readings.InspectedReading": 1,
        "cabinet.ContractLink": 1,
        "cabinet.PeriodReading": 1,
        "cabinet.HotWaterVolume": 1,
        "cabinet.LimitChangeRequest": 1,
        "cabinet.RequisitesChange": 1,
        "cabinet.Claim": 1,
        "cabinet.EmployeeList": 1,
        "cabinet.Employee": 1,
    }.items():
        assert get(*label.split(".")).objects.count() == count, label
    line = get("readings", "SubmittedReading").objects.get()
    assert (line.application.number, line.meter.serial_number, line.value) == ("AZS-2026-000001", "SN1", Decimal("13"))
    assert get("cabinet", "PeriodReading").objects.get().booked_reading.value == Decimal("12")
    assert get("cabinet", "Employee").objects.get().employee_list.contract.number == "ИВК-1"

    ContentType = get("contenttypes", "ContentType")
    group = get("auth", "Group").objects.get(name="Reviewers")
    for new_app, by_old_app in MOVED.items():
        for old_app, models in by_old_app.items():
            for model in models:
                assert not ContentType.objects.filter(app_label=old_app, model=model).exists(), (old_app, model)
                assert group.permissions.filter(content_type__app_label=new_app, codename=f"view_{model}").exists(), (
                    new_app,
                    model,
                )
