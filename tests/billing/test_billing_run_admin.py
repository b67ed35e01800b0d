"""Staff start the monthly billing run in the admin and watch its progress bar (no JavaScript)."""

import pytest
from django.contrib.auth.models import Permission

from billing.models import BillingRun, Invoice
from billing.run.chunks import work_on_run
from tests.billing.billing_run_data import ISSUED_ON, seed_month
from tests.portal.factories import StaffMembershipFactory


@pytest.fixture
def staff(tenant, client, otp_login):
    user = StaffMembershipFactory(tenant=tenant).user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_billingrun", "view_billingrun", "change_billingrun"])
    )
    otp_login(client, user)
    return user


def test_staff_start_a_run_and_see_its_progress(client, staff, tenant, branch, freeze_today):
    freeze_today(ISSUED_ON)
    accounts = seed_month(tenant, branch, accounts=2)

    response = client.post("/admin/billing/billingrun/add/", {"period": "2026-10-17"})

    assert response.status_code == 302
    run = BillingRun.objects.get()
    assert (run.tenant_id, str(run.period), run.started_by_id) == (tenant.pk, "2026-10-01", staff.pk)
    page = client.get(f"/admin/billing/billingrun/{run.pk}/change/").content.decode()
    assert "<progress" in page and 'http-equiv="refresh"' in page  # refreshes itself while running
    work_on_run(run.pk)
    page = client.get(f"/admin/billing/billingrun/{run.pk}/change/").content.decode()
    assert f'value="{run.chunks_total}" max="{run.chunks_total}"' in page
    assert 'http-equiv="refresh"' not in page
    assert Invoice.objects.filter(tenant=tenant).count() == len(accounts)


def test_a_second_run_of_the_same_month_is_refused_with_a_message(client, staff, tenant, freeze_today):
    freeze_today(ISSUED_ON)
    BillingRun.objects.create(tenant=tenant, period="2026-10-01", issued_on=ISSUED_ON)

    response = client.post("/admin/billing/billingrun/add/", {"period": "2026-10-05"})

    assert response.status_code == 200
    assert BillingRun.objects.count() == 1
    assert "already exists" in response.content.decode()


def test_staff_see_only_their_tenants_runs(client, staff, other_tenant):
    other = BillingRun.objects.create(tenant=other_tenant, period="2026-10-01", issued_on=ISSUED_ON)

    assert client.get(f"/admin/billing/billingrun/{other.pk}/change/").status_code in (302, 404)
    assert "2026-10" not in client.get("/admin/billing/billingrun/").content.decode()
