"""Billing use cases: the tariff in force, tiered charges, invoices formed on execution, payments.

Money is Decimal quantized to 0.01 with ROUND_HALF_UP (how the utilities' own bills round);
consumption is Decimal with 3 places (m³ to the litre, kWh to the watt-hour) and is billed as it is.
"""

import logging
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, Sum
from django.utils.translation import gettext as _

from billing.models import Invoice, Payment, Service, Tariff
from meters.holders import applicant_holds_account
from meters.models import Meter
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


def record_payment(*, account, amount, paid_on, external_id, channel="", method="", invoice=None, actor=None):
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
        channel=channel,
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
    # The PDF shows the holder's name and the access code: it goes to holders only (the others
    # got the generic "executed" e-mail at acceptance).
    if not applicant_holds_account(application):
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
