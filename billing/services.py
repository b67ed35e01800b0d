"""Billing use cases: the tariff in force, tiered charges, invoices formed on execution, payments.

Money is Decimal quantized to 0.01 with ROUND_HALF_UP (how the utilities' own bills round);
consumption is Decimal with 3 places (m³ to the litre, kWh to the watt-hour) and is billed as it is.
"""

import logging
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import translation
from django.utils.translation import gettext as _

from billing.models import Invoice, InvoiceLine, Payment, Service, Tariff
from billing.numbering import due_date, invoice_number, next_invoice_sequence, payment_reference
from meters.models import Meter, Reading
from portal.queue import publish

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
THOUSANDTH = Decimal("0.001")
ZERO = Decimal("0")

# What each kind of meter is billed for: the water a cold- or hot-water meter counts also leaves
# as wastewater, which is priced separately (Azersu: water 0.70 + wastewater 0.30 AZN/m³).
SERVICES_BY_METER_KIND = {
    Meter.Kind.COLD_WATER: [Service.WATER, Service.WASTEWATER],
    Meter.Kind.HOT_WATER: [Service.HOT_WATER, Service.WASTEWATER],
    Meter.Kind.ELECTRICITY: [Service.ELECTRICITY],
    Meter.Kind.GAS: [Service.GAS],
}


def money(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)




# -- tariffs -------------------------------------------------------------------------------------


def tariff_in_force(*, tenant, service, category, branch, on):
    """The tariff of ``service`` for ``category`` in force on the date ``on`` in ``branch``.

    A tariff listing the branch beats a general one (no branches listed); among equals the one
    that started last wins, so a new tariff entered without closing the old one still applies.
    """
    branch_listed = Tariff.branches.through.objects.filter(tariff_id=OuterRef("pk"), branch_id=branch.pk)
    any_branch_listed = Tariff.branches.through.objects.filter(tariff_id=OuterRef("pk"))
    return (
        Tariff.objects.for_tenant(tenant)
        .filter(service=service, category=category, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .annotate(for_branch=Exists(branch_listed), has_branches=Exists(any_branch_listed))
        .filter(Q(for_branch=True) | Q(has_branches=False))
        .order_by("-for_branch", "-valid_from", "-pk")
        .prefetch_related("blocks")
        .first()
    )


def charge(*, consumption, tariff):
    """Split ``consumption`` over the tariff's blocks: a list of (quantity, unit price).

    Each block prices the units above the previous block's limit up to its own ``up_to``; an
    unbounded block (``up_to`` None) takes the rest. Consumption beyond the last bounded block
    of a tariff without an unbounded one is priced at that last block (a staff data gap must
    not make units free). Pure: reads the blocks, writes nothing.
    """
    consumption = Decimal(consumption)
    blocks = sorted(tariff.blocks.all(), key=lambda block: (block.up_to is None, block.up_to or ZERO))
    if not blocks or consumption <= 0:
        return []
    parts = []
    lower = ZERO
    for block in blocks:
        upper = consumption if block.up_to is None else min(consumption, block.up_to)
        if upper > lower:
            parts.append((upper - lower, block.price))
        if block.up_to is None or consumption <= block.up_to:
            return parts
        lower = block.up_to
    parts.append((consumption - lower, blocks[-1].price))
    return parts


def line_amounts(*, quantity, unit_price, tariff):
    """(net, VAT, gross) of one line, each rounded to the cent; gross = net + VAT exactly."""
    rate = tariff.vat_rate / 100
    priced = money(quantity * unit_price)
    if tariff.prices_include_vat:
        net = money(priced / (1 + rate))
        return net, priced - net, priced
    vat = money(priced * rate)
    return priced, vat, priced + vat


# -- consumption ---------------------------------------------------------------------------------


def previous_reading(reading):
    """The meter's accepted reading just before ``reading`` (by date, then by entry), or None."""
    return (
        Reading.objects.filter(meter_id=reading.meter_id, status=Reading.Status.ACCEPTED)
        .filter(Q(reading_date__lt=reading.reading_date) | Q(reading_date=reading.reading_date, pk__lt=reading.pk))
        .exclude(pk=reading.pk)
        .order_by("-reading_date", "-pk")
        .first()
    )


def consumption_since_previous(reading):
    """(consumption, period start) of a booked reading.

    From the previous accepted reading of the same meter; a meter without one (new, or one that
    replaced another) counts from its reading at installation, since its installation date.
    """
    meter = reading.meter
    previous = previous_reading(reading)
    if previous is not None:
        start_value, start_date = previous.value, previous.reading_date
    else:
        start_value, start_date = meter.initial_reading, meter.installed_on
    consumption = (reading.value - start_value).quantize(THOUSANDTH)
    if consumption < 0:
        # Validation refuses a reading below the last one unless the meter was replaced; one
        # that slips through (e.g. a staff correction) bills nothing rather than a credit nobody
        # decided on, and staff see the warning.
        logger.warning("Reading %s is below the previous one of meter %s; billed as zero", reading.pk, meter.pk)
        consumption = ZERO.quantize(THOUSANDTH)
    return consumption, start_date


# -- invoices ------------------------------------------------------------------------------------


def _lines_for_reading(reading, account, consumption, period_start):
    """Unsaved InvoiceLines of one booked reading: per billed service, one per tariff block."""
    lines = []
    meter = reading.meter
    for service in SERVICES_BY_METER_KIND[meter.kind]:
        tariff = tariff_in_force(
            tenant=account.tenant,
            service=service,
            category=account.category,
            branch=account.branch,
            on=reading.reading_date,
        )
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
                "start": period_start.isoformat(),
                "end": reading.reading_date.isoformat(),
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
                )
            )
    return lines


@transaction.atomic
def form_invoice_for_application(*, application, booked_readings):
    """Form the invoice for the readings an executed application just booked (one per meter).

    Called inside the acceptance transaction. Returns the invoice, the existing one if this
    application was invoiced before, or None when nothing could be priced (no tariff entered).
    The PDF is rendered and e-mailed by a task queued after the commit.
    """
    existing = Invoice.objects.filter(application=application).first()
    if existing is not None:
        return existing
    account = application.account
    tenant = application.tenant
    lines, starts, ends = [], [], []
    with translation.override(application.language):
        for reading in sorted(booked_readings, key=lambda r: (r.reading_date, r.pk)):
            consumption, period_start = consumption_since_previous(reading)
            lines += _lines_for_reading(reading, account, consumption, period_start)
            starts.append(period_start)
            ends.append(reading.reading_date)
    if not lines:
        return None

    issued_on = tenant.today()
    sequence = next_invoice_sequence(tenant, issued_on.year)
    invoice = Invoice(
        tenant=tenant,
        number=invoice_number(tenant, issued_on.year, sequence),
        account=account,
        application=application,
        period_start=min(starts),
        period_end=max(ends),
        issued_on=issued_on,
        due_on=due_date(tenant, issued_on),
        currency=tenant.currency,
        net_total=sum((line.net_amount for line in lines), ZERO),
        vat_total=sum((line.vat_amount for line in lines), ZERO),
        total=sum((line.amount for line in lines), ZERO),
        payment_reference=payment_reference(account.code, issued_on.year, sequence),
        language=application.language,
    )
    invoice.full_clean(exclude=["pdf", "application"])
    invoice.save()
    for line in lines:
        line.invoice = invoice
    InvoiceLine.objects.bulk_create(lines)
    transaction.on_commit(lambda: publish_render(invoice.pk))
    return invoice


def publish_render(invoice_id):
    """Queue the PDF rendering now: called on commit of the invoice and by the beat task
    render_missing_invoice_pdfs. Never raises: with the broker down the invoice stays without a
    PDF and that sweep picks it up, so acceptance never fails on Redis."""
    publish("billing.tasks.render_invoice_pdf", invoice_id, if_down="the sweep will render it")


# -- balance and payments ------------------------------------------------------------------------


def account_balance(account):
    """Payments minus invoices (cancelled ones aside): negative is a debt, positive a credit."""
    invoiced = (
        Invoice.objects.filter(account=account).exclude(status=Invoice.Status.CANCELLED).aggregate(s=Sum("total"))["s"]
    )
    paid = Payment.objects.filter(account=account).aggregate(s=Sum("amount"))["s"]
    return money((paid or ZERO) - (invoiced or ZERO))


def record_payment(*, account, amount, paid_on, external_id, method="", invoice=None, actor=None):
    """Book a payment once per ``external_id`` (the bank's id): a repeated import returns the
    payment already booked. The invoice it pays is marked paid once its payments cover it."""
    tenant = account.tenant
    existing = Payment.objects.for_tenant(tenant).filter(external_id=external_id).first()
    if existing is not None:
        if existing.account_id != account.pk:
            raise ValidationError(_("This payment id is already booked for another account."), code="duplicate")
        return existing
    if invoice is not None and invoice.account_id != account.pk:
        raise ValidationError(_("The invoice belongs to another account."), code="invoice_account")
    payment = Payment(
        tenant=tenant,
        account=account,
        invoice=invoice,
        amount=money(amount),
        paid_on=paid_on,
        method=method,
        external_id=external_id,
        recorded_by=actor,
    )
    payment.full_clean(exclude=["tenant"])
    try:
        with transaction.atomic():
            payment.save()
            if invoice is not None:
                _mark_paid_if_covered(invoice)
    except IntegrityError:
        # The same bank payment imported concurrently: the other import booked it.
        return Payment.objects.for_tenant(tenant).get(external_id=external_id)
    return payment


def _mark_paid_if_covered(invoice):
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    paid = invoice.payments.aggregate(s=Sum("amount"))["s"] or ZERO
    if invoice.status == Invoice.Status.ISSUED and paid >= invoice.total:
        invoice.status = Invoice.Status.PAID
        invoice.save(update_fields=["status"])


# -- the result e-mail ---------------------------------------------------------------------------

INVOICE_READY_TEMPLATE = "invoice_ready"


def queue_invoice_ready(invoice):
    """E-mail the applicant that his application was executed, with the invoice PDF attached.

    Once per invoice: a second run of the rendering task (a retry, the sweep, a re-render from
    the admin) finds the outbox row and queues nothing. The caller holds the invoice row lock.
    """
    from django.contrib.contenttypes.models import ContentType

    from portal.models import Notification
    from portal.notifications import queue_notification

    already = Notification.objects.filter(
        template=INVOICE_READY_TEMPLATE,
        related_type=ContentType.objects.get_for_model(Invoice),
        related_id=str(invoice.pk),
    ).exists()
    application = invoice.application
    if already or application is None or not invoice.pdf:
        return None
    recipient = application.contact_email or application.applicant.email
    if not recipient:
        return None
    tenant = invoice.tenant
    return queue_notification(
        tenant=tenant,
        channel=Notification.Channel.EMAIL,
        recipient=recipient,
        template=INVOICE_READY_TEMPLATE,
        context={
            "application": application,
            "invoice": invoice,
            "download_url": tenant.absolute_url("billing:invoice_pdf", invoice.number),
        },
        language=application.language,
        related=invoice,
        attachments=[invoice.pdf.name],
    )


def rerender_invoice_pdf(*, invoice):
    """Drop the stored PDF (e.g. after fixing the tenant's branding) and render it again after
    commit. The result e-mail is not sent twice: it was queued with the first PDF."""
    if invoice.pdf:
        invoice.pdf.delete(save=False)
    Invoice.objects.filter(pk=invoice.pk).update(pdf="")
    transaction.on_commit(lambda: publish_render(invoice.pk))
