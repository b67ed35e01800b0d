"""The monthly billing run (#12, goal 2): the same invoices as the per-invoice path, idempotent,
resumable after a crash inside a chunk, and confined to its tenant.

On SQLite these exercise the portable path; with DATABASE_URL pointing at PostgreSQL the same
tests exercise the set-based INSERT … SELECT path (billing/run/postgres.py).
"""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from billing.invoicing import form_period_invoice
from billing.models import BillingRun, BillingRunChunk, Invoice, InvoiceLine, InvoiceSequence
from billing.run import chunks
from billing.run.chunks import work_on_run
from billing.run.planning import run_progress, start_billing_run
from meters.models import SubscriberAccount
from tests.billing.billing_run_data import ISSUED_ON, PERIOD, PERIOD_END, day, seed_month, sequence_value, snapshot
from tests.portal.factories import BranchFactory, TenantFactory


@pytest.fixture(autouse=True)
def today(freeze_today):
    return freeze_today(ISSUED_ON)


@pytest.fixture
def accounts(tenant, branch):
    return seed_month(tenant, branch)


def run_month(tenant, chunk_accounts=3):
    run = start_billing_run(tenant=tenant, period=PERIOD, chunk_accounts=chunk_accounts)
    work_on_run(run.pk)  # eager tasks ran already; a second worker finds nothing left
    run.refresh_from_db()
    return run


def test_the_run_forms_the_invoices_the_per_invoice_path_forms(tenant, accounts):
    run = run_month(tenant)
    by_run = snapshot(tenant)
    assert len(by_run) == len(accounts)
    assert run.status == BillingRun.Status.DONE

    InvoiceLine.objects.all().delete()
    Invoice.objects.all().delete()
    InvoiceSequence.objects.all().delete()
    active = SubscriberAccount.objects.for_tenant(tenant).filter(is_active=True)
    for account in active.select_related("tenant", "branch").order_by("pk"):
        form_period_invoice(
            account=account, period_start=PERIOD, period_end=PERIOD_END, issued_on=ISSUED_ON, render_pdf=False
        )
    by_builder = snapshot(tenant)

    assert by_run == by_builder


def test_the_sample_covers_blocks_vat_languages_and_the_tariff_change(tenant, accounts):
    run_month(tenant)
    lines = InvoiceLine.objects.filter(invoice__tenant=tenant)
    assert lines.filter(description__contains="block 2").exists()
    assert lines.filter(service="wastewater", unit_price=Decimal("0.35")).exists()
    assert lines.filter(service="wastewater", unit_price=Decimal("0.30")).exists()
    assert lines.filter(prices_include_vat=False, vat_rate=Decimal("20")).exists()
    assert lines.filter(meter__serial_number="W-LOW", quantity=0).exists()
    assert not lines.filter(meter__serial_number__in=["W-SILENT", "G-1"]).exists()
    assert Invoice.objects.filter(tenant=tenant, language="ru").count() == 1
    numbers = sorted(Invoice.objects.filter(tenant=tenant).values_list("number", flat=True))
    assert numbers == [f"AZS-INV-2026-{n:06d}" for n in range(1, len(accounts) + 1)]


def test_a_reading_after_a_tariff_change_is_priced_by_the_new_tariff(tenant, accounts):
    run_month(tenant)
    electric_account = accounts[0]  # its water reading on the 10th, electricity on the 20th
    water_meter = electric_account.meters.get(serial_number="W-0")
    wastewater = InvoiceLine.objects.get(invoice__account=electric_account, meter=water_meter, service="wastewater")
    assert wastewater.current_date == day(10)
    assert wastewater.unit_price == Decimal("0.30")
    later = accounts[5]  # water read on the 15th... and the 20th would be the new price
    line = InvoiceLine.objects.get(invoice__account=later, service="wastewater")
    assert line.current_date == day(15)
    assert line.unit_price == Decimal("0.30")
    hot_water_account = accounts[6]
    line = InvoiceLine.objects.get(invoice__account=hot_water_account, service="wastewater", meter__kind="hot_water")
    assert (line.current_date, line.unit_price) == (day(20), Decimal("0.35"))


def test_a_rerun_of_the_same_month_changes_nothing(tenant, accounts):
    run = run_month(tenant)
    before, sequence = snapshot(tenant), sequence_value(tenant)

    again = run_month(tenant)
    call_command("billing_run", tenant.slug, "2026-10", "--here")

    assert again.pk == run.pk
    assert snapshot(tenant) == before
    assert sequence_value(tenant) == sequence
    assert BillingRunChunk.objects.filter(run=run).count() == run.chunks_total


def test_a_new_run_skips_accounts_already_invoiced_for_the_month(tenant, accounts):
    run_month(tenant)
    before = snapshot(tenant)
    BillingRun.objects.all().update(status=BillingRun.Status.DONE)
    BillingRunChunk.objects.update(done=False)  # as if a second run went over the same accounts

    work_on_run(BillingRun.objects.get().pk)

    assert snapshot(tenant) == before


def test_a_crash_inside_a_chunk_rolls_it_back_and_a_resume_finishes_the_run(tenant, accounts, monkeypatch):
    real_mark_done = chunks.mark_done
    calls = []

    def crash_on_the_second_chunk(chunk, **counts):
        calls.append(chunk.pk)
        if len(calls) == 2:
            raise RuntimeError("worker killed")  # after the chunk's invoices were inserted
        real_mark_done(chunk, **counts)

    monkeypatch.setattr(chunks, "mark_done", crash_on_the_second_chunk)
    run = start_billing_run(tenant=tenant, period=PERIOD, chunk_accounts=3)
    with pytest.raises(RuntimeError):
        work_on_run(run.pk)
    done, total, invoices, _lines = run_progress(run)
    assert (done, invoices) == (1, 3)
    assert Invoice.objects.filter(tenant=tenant).count() == 3  # the crashed chunk left nothing
    assert sequence_value(tenant) == 3
    run.refresh_from_db()
    assert run.status == BillingRun.Status.RUNNING

    monkeypatch.setattr(chunks, "mark_done", real_mark_done)
    call_command("billing_run", tenant.slug, "2026-10", "--here")

    run.refresh_from_db()
    assert run.status == BillingRun.Status.DONE
    assert run_progress(run)[:2] == (total, total)
    numbers = sorted(Invoice.objects.filter(tenant=tenant).values_list("number", flat=True))
    assert numbers == [f"AZS-INV-2026-{n:06d}" for n in range(1, len(accounts) + 1)]  # no gap


def test_a_run_of_one_tenant_never_touches_another(tenant, branch, accounts):
    other = TenantFactory(slug="azerishiq", application_prefix="AZI")
    other_accounts = seed_month(other, BranchFactory(tenant=other), accounts=2)
    other_sequence = InvoiceSequence.objects.create(tenant=other, year=2026, last_value=41)

    run_month(tenant)

    assert not Invoice.objects.filter(tenant=other).exists()
    assert not Invoice.objects.filter(tenant=tenant, account__tenant=other).exists()
    other_sequence.refresh_from_db()
    assert other_sequence.last_value == 41
    run = run_month(other)
    assert Invoice.objects.filter(tenant=other).count() == len(other_accounts)
    assert run.tenant_id == other.pk
    assert Invoice.objects.filter(tenant=other).order_by("number").first().number == "AZI-INV-2026-000042"


def test_an_account_with_an_application_invoice_in_the_month_is_not_billed_again(tenant, accounts):
    account = accounts[1]
    form_period_invoice(account=account, period_start=day(1), period_end=day(12), render_pdf=False)

    run_month(tenant)

    assert Invoice.objects.filter(account=account).count() == 1


def test_the_command_refuses_an_unknown_tenant_and_a_bad_month(tenant):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("billing_run", "nowhere", "2026-10")
    with pytest.raises(CommandError):
        call_command("billing_run", tenant.slug, "October")


def test_the_run_is_set_based(tenant, accounts, django_assert_max_num_queries):
    from billing.run.planning import plan_chunks

    run = BillingRun.objects.create(tenant=tenant, period=PERIOD, issued_on=ISSUED_ON)
    plan_chunks(run, chunk_accounts=1000)
    # One chunk of all the accounts: a fixed number of queries whatever the number of accounts.
    with django_assert_max_num_queries(30):
        work_on_run(run.pk)
    assert Invoice.objects.filter(tenant=tenant).count() == len(accounts)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the set-based path runs on PostgreSQL")
def test_postgresql_takes_the_set_based_path():
    from billing.run import postgres

    assert postgres.supported()


def test_a_one_off_charge_in_the_month_does_not_stop_the_consumption_invoice(tenant, accounts):
    # W3's verification fee (or W2's connection fee) bills no readings: the month is still billed.
    from billing.invoicing import charge_line, form_charge_invoice
    from billing.models import Service

    account = accounts[1]
    form_charge_invoice(
        account=account,
        lines=[
            charge_line(service=Service.VERIFICATION, description="Verification fee", amount=Decimal("7.29"), unit="")
        ],
        language="en",
        issued_on=day(5),
    )

    run_month(tenant)

    assert Invoice.objects.filter(account=account).count() == 2
