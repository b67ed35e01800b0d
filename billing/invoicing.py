"""The one invoice builder: W1 execution, the cabinets' monthly invoices and the demo all form
invoices here, so numbering, pricing, totals and the PDF hand-off are the same everywhere.

``priced_lines`` prices one meter's consumption; ``correction_lines`` reverses what a superseded
reading billed; ``issue_invoice`` numbers and saves an invoice from priced lines.
``form_invoice_for_application`` and ``form_period_invoice`` say what is billed: the readings an
application booked, or a month of a contract account's readings.
"""

import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from billing.models import Invoice, InvoiceLine, Service
from billing.numbering import (
    due_date,
    invoice_number,
    next_invoice_sequence,
    payment_reference,
    period_due_date,
)
from billing.selectors_cabinet import consumption_by_meter
from billing.services import (
    SERVICES_BY_METER_KIND,
    THOUSANDTH,
    ZERO,
    charge,
    line_amounts,
    publish_render,
    tariff_in_force,
)
from meters.models import Reading

logger = logging.getLogger(__name__)


# -- consumption ---------------------------------------------------------------------------------


def previous_reading(reading):
    """The meter's accepted reading just before ``reading`` (by date, then by entry), or None.

    Superseded rows are left out (a correction replaced them), and the order is the reading date,
    not the order of booking: consumption is always measured between consecutive readings of the
    meter's real history. Acceptance refuses a reading dated before the latest booked one, so a
    booking never lands between two billed readings.
    """
    return (
        Reading.objects.filter(meter_id=reading.meter_id, status=Reading.Status.ACCEPTED)
        .filter(Q(reading_date__lt=reading.reading_date) | Q(reading_date=reading.reading_date, pk__lt=reading.pk))
        .exclude(pk=reading.pk)
        .order_by("-reading_date", "-pk")
        .first()
    )


def reading_before(reading):
    """(value, date) the consumption up to ``reading`` is measured from: the previous accepted
    reading of the same meter; for a meter without one (new, or one that replaced another) its
    reading at installation, on its installation date."""
    previous = previous_reading(reading)
    if previous is not None:
        return previous.value, previous.reading_date
    return reading.meter.initial_reading, reading.meter.installed_on


def consumption_since_previous(reading):
    """(consumption, period start) of a booked reading, from ``reading_before``."""
    meter = reading.meter
    start_value, start_date = reading_before(reading)
    consumption = (reading.value - start_value).quantize(THOUSANDTH)
    if consumption < 0:
        # Validation refuses a reading below the last one unless the meter was replaced; one
        # that slips through (e.g. a staff correction) bills nothing rather than a credit nobody
        # decided on, and staff see the warning.
        logger.warning("Reading %s is below the previous one of meter %s; billed as zero", reading.pk, meter.pk)
        consumption = ZERO.quantize(THOUSANDTH)
    return consumption, start_date


# -- invoices ------------------------------------------------------------------------------------


def correction_lines(*, account, reading):
    """Unsaved InvoiceLines reversing what the reading ``reading`` supersedes billed, or [].

    The superseded reading's consumption is priced again as it was when it was billed (from its
    own previous reading, with the tariff in force on its date) and every line negated, so a
    tiered tariff is reversed block by block. Nothing is reversed when no invoice of the account
    that is not cancelled covers that reading's date with a line for the meter: it was never billed.
    """
    old = reading.supersedes
    if old is None:
        return []
    billed = (
        Invoice.objects.filter(account=account, lines__meter=old.meter)
        .filter(period_start__lte=old.reading_date, period_end__gte=old.reading_date)
        .exclude(status=Invoice.Status.CANCELLED)
        .exists()
    )
    if not billed:
        return []
    consumption, period_start = consumption_since_previous(old)
    lines = priced_lines(
        account=account,
        reading=old,
        consumption=consumption,
        period_start=period_start,
        previous_value=reading_before(old)[0],
    )
    for line in lines:
        line.description = (
            _("Correction: reading %(old)s replaced by %(new)s — %(line)s")
            % {"old": old.value, "new": reading.value, "line": line.description}
        )[:300]
        line.quantity, line.net_amount, line.vat_amount, line.amount = (
            -line.quantity,
            -line.net_amount,
            -line.vat_amount,
            -line.amount,
        )
    return lines


def priced_lines(
    *, account, reading, consumption, period_start, previous_value=None, previous_date=None, tariff_for=None
):
    """Unsaved InvoiceLines of one meter's consumption up to ``reading``: per billed service, one
    per tariff block, priced with the tariff in force on the reading date.

    ``tariff_for(service, on)`` finds that tariff; by default ``tariff_in_force`` (a query), the
    billing run passes one that looks it up in the tariffs it loaded once (billing/run/portable.py).

    Each line keeps the two readings the consumption is measured between (``previous_value`` on
    ``previous_date``, by default ``period_start``, and ``reading``) and the VAT terms of its
    tariff, so the invoice shows them as they were when it was issued.
    """
    lines = []
    meter = reading.meter
    if tariff_for is None:

        def tariff_for(service, on):
            return tariff_in_force(
                tenant=account.tenant, service=service, category=account.category, branch=account.branch, on=on
            )

    for service in SERVICES_BY_METER_KIND[meter.kind]:
        tariff = tariff_for(service, reading.reading_date)
        if tariff is None:
            # Staff have not entered this price: the reading is still booked, and the missing
            # line is logged rather than guessed.
            logger.warning("No %s tariff for account %s on %s", service, account.pk, reading.reading_date)
            continue
        parts = charge(consumption=consumption, tariff=tariff)
        if not parts:
            first = min(tariff.blocks.all(), key=lambda b: (b.up_to is None, b.up_to or ZERO), default=None)
            parts = [(consumption, first.price if first else ZERO)]
        for index, (quantity, unit_price) in enumerate(parts, start=1):
            net, vat, gross = line_amounts(quantity=quantity, unit_price=unit_price, tariff=tariff)
            description = _("%(service)s, meter №%(serial)s, %(start)s – %(end)s") % {
                "service": Service(service).label,
                "serial": meter.serial_number,
                # In the invoice's language (active here): 01.10.2026 in ru/az, not ISO.
                "start": date_format(period_start, "SHORT_DATE_FORMAT"),
                "end": date_format(reading.reading_date, "SHORT_DATE_FORMAT"),
            }
            if len(parts) > 1:
                description += " · " + _("block %(number)s") % {"number": index}
            lines.append(
                InvoiceLine(
                    service=service,
                    meter=meter,
                    description=description[:300],
                    quantity=quantity,
                    unit=tariff.unit,
                    unit_price=unit_price,
                    net_amount=net,
                    vat_amount=vat,
                    amount=gross,
                    vat_rate=tariff.vat_rate,
                    prices_include_vat=tariff.prices_include_vat,
                    previous_value=previous_value,
                    previous_date=previous_date or period_start,
                    current_value=reading.value,
                    current_date=reading.reading_date,
                )
            )
    return lines


def issue_invoice(
    *, account, lines, period_start, period_end, issued_on, due_on, language, application=None, render_pdf=True
):
    """Number and save an invoice of ``account`` with its priced ``lines`` (unsaved InvoiceLines).

    Call it inside the transaction that decided what is billed: the number's sequence row is
    locked until that commit. The PDF is rendered (and e-mailed) by a task queued after it.
    """
    tenant = account.tenant
    sequence = next_invoice_sequence(tenant, issued_on.year)
    invoice = Invoice(
        tenant=tenant,
        number=invoice_number(tenant, issued_on.year, sequence),
        account=account,
        application=application,
        period_start=period_start,
        period_end=period_end,
        issued_on=issued_on,
        due_on=due_on,
        currency=tenant.currency,
        net_total=sum((line.net_amount for line in lines), ZERO),
        vat_total=sum((line.vat_amount for line in lines), ZERO),
        total=sum((line.amount for line in lines), ZERO),
        payment_reference=payment_reference(account.code, issued_on.year, sequence),
        language=language,
    )
    invoice.full_clean(exclude=["pdf", "application"])
    invoice.save()
    for line in lines:
        line.invoice = invoice
    InvoiceLine.objects.bulk_create(lines)
    if render_pdf:
        transaction.on_commit(lambda: publish_render(invoice.pk))
    return invoice


@transaction.atomic
def form_invoice_for_application(*, application, booked_readings):
    """Form the invoice for the readings an executed application just booked (one per meter).

    A booked reading that supersedes another (an on-site check correcting it) adds the reversal
    of what the superseded one billed: the invoice is then corrective and its total may be negative.

    Called inside the acceptance transaction. Returns the invoice, the existing one if this
    application was invoiced before, or None when nothing could be priced (no tariff entered).
    """
    existing = Invoice.objects.filter(application=application).first()
    if existing is not None:
        return existing
    account = application.account
    lines, starts, ends = [], [], []
    with translation.override(application.language):
        for reading in sorted(booked_readings, key=lambda r: (r.reading_date, r.pk)):
            if reading.supersedes_id is not None:
                # A correction (an on-site check below the booked reading): credit the wrong one.
                reversal = correction_lines(account=account, reading=reading)
                lines += reversal
                if reversal:
                    starts.append(consumption_since_previous(reading.supersedes)[1])
            consumption, period_start = consumption_since_previous(reading)
            lines += priced_lines(
                account=account,
                reading=reading,
                consumption=consumption,
                period_start=period_start,
                previous_value=reading_before(reading)[0],
            )
            starts.append(period_start)
            ends.append(reading.reading_date)
    if not lines:
        return None
    issued_on = application.tenant.today()
    return issue_invoice(
        account=account,
        lines=lines,
        period_start=min(starts),
        period_end=max(ends),
        issued_on=issued_on,
        due_on=due_date(application.tenant, issued_on),
        language=application.language,
        application=application,
    )


def recipient_language(account):
    """The language the account's period invoices are written in: the preferred language of the
    members of the organization whose cabinet holds the account's contract (its owners first,
    then the longest-standing member), else the tenant's default language.

    The recipient reads the invoice, not the utility: Uzbekenergo's Russian-speaking accountant
    gets it in Russian.
    """
    contract = getattr(account, "contract", None)
    if contract is not None and contract.organization_id is not None:
        memberships = (
            contract.organization.memberships.exclude(user__preferred_language="")
            .annotate(is_owner=Q(role="owner"))
            .order_by("-is_owner", "joined_at", "pk")
            .values_list("user__preferred_language", flat=True)
        )
        language = memberships.first()
        if language:
            return language
    return account.tenant.default_language


def period_lines(account, consumption_rows, period_start, tariff_for=None):
    """The priced lines of a period from its consumption rows (``consumption_by_meter``), in the
    active language: the one path both the per-invoice builder and the billing run take."""
    lines = []
    for row in consumption_rows:
        if row.end_value is None:
            continue
        # The period's last reading prices the month: its date picks the tariff in force.
        reading = Reading(meter=row.meter, value=row.end_value, reading_date=row.end_date)
        lines += priced_lines(
            account=account,
            reading=reading,
            consumption=row.consumption,
            period_start=period_start,
            previous_value=row.start_value,
            previous_date=row.start_date,
            tariff_for=tariff_for,
        )
    return lines


@transaction.atomic
def form_period_invoice(*, account, period_start, period_end, issued_on=None, render_pdf=True, language=None):
    """Form the invoice of ``account`` for the consumption between ``period_start`` and
    ``period_end`` (the latest accepted reading of each meter in the period minus the last one
    before it). Returns the invoice formed earlier for the same period if there is one, or None
    when nothing could be priced (no readings in the period, no tariff entered).

    It is written in ``language`` (the requesting user's) or else the recipient's language.
    """
    existing = (
        Invoice.objects.filter(
            account=account, application__isnull=True, period_start=period_start, period_end=period_end
        )
        .exclude(status=Invoice.Status.CANCELLED)
        .first()
    )
    if existing is not None:
        return existing
    tenant = account.tenant
    language = language or recipient_language(account)
    with translation.override(language):
        lines = period_lines(account, consumption_by_meter(account, period_start, period_end), period_start)
    if not lines:
        return None
    issued_on = issued_on or tenant.today()
    due_on = period_due_date(tenant, period_end, issued_on)
    return issue_invoice(
        account=account,
        lines=lines,
        period_start=period_start,
        period_end=period_end,
        issued_on=issued_on,
        due_on=due_on,
        language=language,
        render_pdf=render_pdf,
    )


# -- one-off charges -----------------------------------------------------------------------------


def charge_line(*, service, description, amount, unit, vat_rate=ZERO, prices_include_vat=True, meter=None):
    """An unsaved line of one fixed charge (a fee, damages): quantity 1 at ``amount``."""
    quantity = Decimal("1.000")
    if prices_include_vat and vat_rate:
        net = (amount / (1 + vat_rate / 100)).quantize(Decimal("0.01"))
        vat = amount - net
        total = amount
    else:
        net = amount
        vat = (amount * vat_rate / 100).quantize(Decimal("0.01"))
        total = net + vat
    return InvoiceLine(
        service=service,
        meter=meter,
        description=description[:300],
        quantity=quantity,
        unit=unit,
        unit_price=amount,
        net_amount=net,
        vat_amount=vat,
        amount=total,
        vat_rate=vat_rate,
        prices_include_vat=prices_include_vat,
    )


def form_charge_invoice(*, account, lines, language, issued_on=None):
    """Number and save an invoice of fixed charges (``charge_line``s) on ``account``, payable by
    the usual payment day; the PDF is rendered after commit. Call it inside the transaction that
    decided the charge."""
    issued_on = issued_on or account.tenant.today()
    return issue_invoice(
        account=account,
        lines=lines,
        period_start=issued_on,
        period_end=issued_on,
        issued_on=issued_on,
        due_on=due_date(account.tenant, issued_on),
        language=language,
    )
