"""A chunk of the billing run through the invoice builder's own pricing, with bulk inserts.

Used on SQLite (the embedded default and ``make test``) and as the reference of the PostgreSQL
path: the consumption of all the chunk's meters is one query, the tariffs are loaded once, each
account's lines are priced by ``billing.invoicing.period_lines`` (so they are the lines
``form_period_invoice`` would form) and the invoices and lines are inserted in bulk, numbered
from one block of the tenant's sequence.
"""

from collections import defaultdict

from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import translation

from accounts.models import OrganizationMembership
from billing.invoicing import period_lines
from billing.models import Invoice, InvoiceLine, Tariff
from billing.numbering import invoice_number, payment_reference, period_due_date, reserve_invoice_sequences
from billing.run.selection import billable_accounts
from billing.selectors_cabinet import meter_consumption_rows
from billing.services import ZERO
from meters.models import Meter
from portal.dates import month_end


class TariffBook:
    """The tenant's tariffs with their blocks and branches, loaded once; ``tariff_for`` picks
    the one ``billing.services.tariff_in_force`` would pick, without a query."""

    def __init__(self, tenant):
        self.by_kind = defaultdict(list)
        for tariff in Tariff.objects.for_tenant(tenant).prefetch_related("blocks", "branches"):
            tariff.branch_ids = {branch.pk for branch in tariff.branches.all()}
            self.by_kind[(tariff.service, tariff.category)].append(tariff)
        self.cache = {}

    def tariff_for(self, account, service, on):
        key = (service, account.category, account.branch_id, on)
        if key not in self.cache:
            candidates = [
                tariff
                for tariff in self.by_kind[(service, account.category)]
                if tariff.valid_from <= on
                and (tariff.valid_to is None or tariff.valid_to >= on)
                and (account.branch_id in tariff.branch_ids or not tariff.branch_ids)
            ]
            self.cache[key] = max(
                candidates,
                key=lambda tariff: (account.branch_id in tariff.branch_ids, tariff.valid_from, tariff.pk),
                default=None,
            )
        return self.cache[key]


def with_recipient_language(accounts, tenant):
    """``billing.invoicing.recipient_language`` of every account as a subquery annotation."""
    language = (
        OrganizationMembership.objects.filter(organization_id=OuterRef("contract__organization_id"))
        .exclude(user__preferred_language="")
        .annotate(is_owner=Q(role="owner"))
        .order_by("-is_owner", "joined_at", "pk")
        .values("user__preferred_language")[:1]
    )
    return accounts.annotate(language=Coalesce(Subquery(language), Value(tenant.default_language)))


def write_chunk(chunk):
    run = chunk.run
    tenant = run.tenant
    period_start, period_end = run.period, month_end(run.period)
    accounts = list(with_recipient_language(billable_accounts(chunk), tenant).order_by("pk"))
    if not accounts:
        return 0, 0
    meters = Meter.objects.filter(account_id__in=billable_accounts(chunk).values("pk"))
    rows_by_account = defaultdict(list)
    for row in meter_consumption_rows(meters, period_start, period_end):
        rows_by_account[row.meter.account_id].append(row)
    book = TariffBook(tenant)
    planned = []
    for account in accounts:
        account.tenant = tenant
        with translation.override(account.language):
            lines = period_lines(
                account,
                rows_by_account[account.pk],
                period_start,
                tariff_for=lambda service, on, account=account: book.tariff_for(account, service, on),
            )
        if lines:
            planned.append((account, lines))
    if not planned:
        return 0, 0
    year = run.issued_on.year
    first = reserve_invoice_sequences(tenant, year, len(planned))
    due_on = period_due_date(tenant, period_end, run.issued_on)
    invoices = [
        Invoice(
            tenant=tenant,
            number=invoice_number(tenant, year, first + index),
            account=account,
            period_start=period_start,
            period_end=period_end,
            issued_on=run.issued_on,
            due_on=due_on,
            currency=tenant.currency,
            net_total=sum((line.net_amount for line in lines), ZERO),
            vat_total=sum((line.vat_amount for line in lines), ZERO),
            total=sum((line.amount for line in lines), ZERO),
            payment_reference=payment_reference(account.code, year, first + index),
            language=account.language,
            billing_run=run,
        )
        for index, (account, lines) in enumerate(planned)
    ]
    Invoice.objects.bulk_create(invoices)
    all_lines = []
    for invoice, (_account, lines) in zip(invoices, planned, strict=True):
        for line in lines:
            line.invoice = invoice
        all_lines += lines
    InvoiceLine.objects.bulk_create(all_lines, batch_size=2000)
    return len(invoices), len(all_lines)
