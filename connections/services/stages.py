"""The branch's steps of a grid-connection request, each refusing a step out of order with a
message staff understand (issue #10, item 4):

registered → under review (may wait for the applicant: the engine pauses the clock) → fee invoice
issued (a billing invoice with a payment reference, on the subscriber account the object will
have) → paid (the connection term starts) → technical conditions issued (a PDF rendered by a
task) → connected (the account is opened with its meter; the applicant holds it), or refused
with a reason the applicant reads.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applications import clocks
from applications.models import Application, Status
from applications.services import notify_applicant, transition
from billing.invoicing import issue_invoice
from billing.models import InvoiceLine, Payment, Service
from billing.numbering import due_date
from billing.services import record_payment
from connections.kinds import Stages
from connections.models import ConnectionRequest, ConnectionSettings
from meters.models import Meter, SubscriberAccount
from meters.services import register_meter
from portal.queue import enqueue_on_commit

CENT = Decimal("0.01")
FEE_INVOICE_TEMPLATE = "connections_fee_invoice"
CONNECTED_TEMPLATE = "connections_connected"
RENDER_TASK = "connections.tasks.render_conditions_pdf"
# Steps staff may take while the request is open; WAITING_FOR_APPLICANT pauses them.
OPEN = {Status.SUBMITTED, Status.IN_REVIEW}


def _locked(application):
    """The application and its request, locked for the step (one step at a time per request)."""
    # Only the rows themselves are locked (of=self): PostgreSQL refuses FOR UPDATE on the nullable
    # side of an outer join, and the tenant or the district need no lock.
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("tenant", "kind", "applicant")
        .get(pk=application.pk)
    )
    request = (
        ConnectionRequest.objects.select_for_update(of=("self",)).select_related("district").get(application=locked)
    )
    return locked, request


def _require_stage(application, *stages):
    if application.status == Status.WAITING_FOR_APPLICANT:
        raise ValidationError(
            _("The application is waiting for the applicant: resume the review first."), code="waiting"
        )
    if application.status not in OPEN or application.stage not in stages:
        raise ValidationError(
            _("This step does not follow the application's current stage (“%(stage)s”)."),
            code="out_of_order",
            params={"stage": clocks.stage_label(application) or application.get_status_display()},
        )


def start_review(*, application, actor):
    with transaction.atomic():
        locked, _request = _locked(application)
        _require_stage(locked, Stages.REGISTERED)
        transition(application=locked, to_status=Status.IN_REVIEW, actor=actor)
        clocks.enter_stage(application=locked, stage=Stages.REVIEW, actor=actor)
    return locked


def resume_review(*, application, actor, note=""):
    """The applicant answered: the review goes on, its clock later by the days spent waiting."""
    with transaction.atomic():
        locked, _request = _locked(application)
        if locked.status != Status.WAITING_FOR_APPLICANT:
            raise ValidationError(_("The application is not waiting for the applicant."), code="not_waiting")
        transition(application=locked, to_status=Status.IN_REVIEW, actor=actor, note=note)
    return locked


# -- the fee invoice -----------------------------------------------------------------------------


def new_account_code(tenant, application):
    """The subscriber code of the connected object: the tenant's prefix, then the application's
    id, 15 digits in all (the Azerishiq subscriber code)."""
    prefix = ConnectionSettings.for_tenant(tenant).account_code_prefix
    return f"{prefix}{application.pk:0{15 - len(prefix)}d}"


def _open_account(application, request):
    """The object's subscriber account, inactive until it is connected: the fee invoice and its
    payment are booked on it, as every invoice of the portal is on an account."""
    if request.account_id is not None:
        return request.account
    details = getattr(application.applicant, "personal_details", None)
    holder = details.display_name if details is not None else application.applicant.get_full_name()
    address = _("%(district)s district, property registry number %(registry)s") % {
        "district": request.district.name,
        "registry": request.registry_number,
    }
    category = (
        SubscriberAccount.Category.LEGAL_ENTITY
        if request.applicant_kind == "entrepreneur"
        else SubscriberAccount.Category.HOUSEHOLD
    )
    account = SubscriberAccount.objects.create(
        tenant=application.tenant,
        code=new_account_code(application.tenant, application),
        holder_name=holder[:200] or application.applicant.email,
        address=address[:300],
        branch=application.branch,
        category=category,
        is_active=False,
    )
    request.account = account
    return account


def _fee_lines(quote):
    """One invoice line per line of the frozen quote, with its VAT part; the last line takes the
    rounding so that the invoice's totals are the quote's."""
    rate = quote.vat_rate / 100
    lines = []
    for item in quote.lines:
        gross = item.amount
        if quote.prices_include_vat:
            net = (gross / (1 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)
        else:
            net, gross = gross, (gross * (1 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)
        lines.append(
            InvoiceLine(
                service=Service.ELECTRICITY,
                description=_("Connection fee: %(line)s") % {"line": item.description},
                quantity=item.quantity if item.quantity is not None else Decimal("1"),
                unit="kW" if item.quantity is not None else "",
                unit_price=item.unit_price if item.unit_price is not None else item.amount,
                net_amount=net,
                vat_amount=gross - net,
                amount=gross,
                vat_rate=quote.vat_rate,
                prices_include_vat=quote.prices_include_vat,
            )
        )
    if lines:
        last = lines[-1]
        last.amount += quote.total - sum(line.amount for line in lines)
        last.net_amount += quote.net - sum(line.net_amount for line in lines)
        last.vat_amount = last.amount - last.net_amount
    return lines


def issue_fee_invoice(*, application, actor):
    """The fee invoice of the quote frozen at sending (never the schedule of today), with its
    payment reference; SMS and e-mail to the applicant. A request without a fee (an apartment in
    a building with general technical conditions) goes straight to the connection term."""
    with transaction.atomic():
        locked, request = _locked(application)
        if locked.stage == Stages.INVOICED and request.fee_invoice_id is not None:
            return request.fee_invoice
        _require_stage(locked, Stages.REVIEW)
        if locked.branch_id is None:
            raise ValidationError(
                _("Route the application to a branch first: the account is opened there."), code="no_branch"
            )
        quote = request.frozen_quote()
        today = locked.tenant.today()
        account = _open_account(locked, request)
        invoice = None
        if quote.total > 0:
            with translation.override(locked.language):
                invoice = issue_invoice(
                    account=account,
                    lines=_fee_lines(quote),
                    period_start=today,
                    period_end=today,
                    issued_on=today,
                    due_on=max(quote.valid_until, due_date(locked.tenant, today)),
                    language=locked.language,
                    application=locked,
                )
        request.fee_invoice = invoice
        request.save(update_fields=["account", "fee_invoice"])
        clocks.enter_stage(application=locked, stage=Stages.INVOICED, actor=actor)
        if invoice is None:
            clocks.enter_stage(application=locked, stage=Stages.PAID, actor=actor, note=_("No connection fee is due."))
        else:
            notify_applicant(locked, template=FEE_INVOICE_TEMPLATE, context={"invoice": invoice})
    application.stage, application.due_on = locked.stage, locked.due_on
    return invoice


def record_fee_payment(*, application, actor, paid_on, external_id, channel=Payment.Channel.BANK_TRANSFER):
    """The fee is paid: the payment is booked on the invoice and the connection term starts on
    the day of payment (20, 24 or 12 working days: ConnectionSettings)."""
    with transaction.atomic():
        locked, request = _locked(application)
        if locked.stage == Stages.PAID:
            return request.fee_invoice
        _require_stage(locked, Stages.INVOICED)
        invoice = request.fee_invoice
        if invoice is None:
            raise ValidationError(_("This application has no fee invoice."), code="no_invoice")
        if paid_on > locked.tenant.today():
            raise ValidationError(_("The payment date cannot be in the future."), code="future_payment")
        if paid_on < invoice.issued_on:
            raise ValidationError(_("The payment date cannot be before the invoice."), code="payment_before_invoice")
        record_payment(
            account=invoice.account,
            amount=invoice.total,
            paid_on=paid_on,
            external_id=external_id,
            channel=channel,
            invoice=invoice,
            actor=actor,
        )
        clocks.enter_stage(application=locked, stage=Stages.PAID, actor=actor, start=paid_on)
    application.stage, application.due_on = locked.stage, locked.due_on
    return invoice


# -- technical conditions ------------------------------------------------------------------------


def issue_conditions(*, application, actor, text):
    """The technical conditions: their text kept on the request, the PDF rendered by a task after
    commit (connections.tasks.render_conditions_pdf, idempotent)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the technical conditions."), code="conditions_empty")
    with transaction.atomic():
        locked, request = _locked(application)
        if locked.stage == Stages.CONDITIONS:
            return request
        _require_stage(locked, Stages.PAID)
        request.conditions_text = text
        request.conditions_issued_on = locked.tenant.today()
        request.save(update_fields=["conditions_text", "conditions_issued_on"])
        clocks.enter_stage(application=locked, stage=Stages.CONDITIONS, actor=actor)
        enqueue_on_commit(RENDER_TASK, request.pk, if_down="the sweep will render it")
    application.stage, application.due_on = locked.stage, locked.due_on
    return request


# -- the result ----------------------------------------------------------------------------------


def connect(*, application, actor, connected_on, meter_serial, initial_reading=Decimal("0")):
    """Connected: the account is opened with its electricity meter, the applicant becomes its
    holder (so he can submit readings), the application is executed and he is told by SMS and
    e-mail. Once: connecting again changes nothing."""
    with transaction.atomic():
        locked, request = _locked(application)
        if locked.stage == Stages.CONNECTED:
            return request
        _require_stage(locked, Stages.CONDITIONS)
        if connected_on > locked.tenant.today():
            raise ValidationError(_("The connection date cannot be in the future."), code="future_connection")
        if request.conditions_issued_on and connected_on < request.conditions_issued_on:
            raise ValidationError(
                _("The connection date cannot be before the technical conditions."), code="before_conditions"
            )
        account = _open_account(locked, request)
        account.is_active = True
        account.save(update_fields=["is_active"])
        account.users.add(locked.applicant)
        meter = register_meter(
            account=account,
            serial_number=meter_serial,
            kind=Meter.Kind.ELECTRICITY,
            installed_on=connected_on,
            initial_reading=initial_reading,
        )
        request.meter = meter
        request.connected_on = connected_on
        request.save(update_fields=["account", "meter", "connected_on"])
        clocks.enter_stage(application=locked, stage=Stages.CONNECTED, actor=actor, start=connected_on)
        transition(application=locked, to_status=Status.EXECUTED, actor=actor, notify=False)
        notify_applicant(locked, template=CONNECTED_TEMPLATE, context={"account": account, "meter": meter})
    application.status, application.stage = locked.status, locked.stage
    return request


def refuse(*, application, actor, reason):
    """Refused with a reason the applicant reads (the engine e-mails and texts it)."""
    with transaction.atomic():
        locked, _request = _locked(application)
        if locked.stage == Stages.CONNECTED or locked.is_closed:
            raise ValidationError(_("A closed application cannot be refused."), code="closed")
        transition(application=locked, to_status=Status.REJECTED, actor=actor, note=reason)
    application.status = locked.status
    return locked


def override_distance(*, application, actor, distance_m, reason):
    """Staff correct the GIS distance; only with a reason, kept with who and when."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for changing the distance."), code="reason_required")
    if distance_m is None or distance_m < 0:
        raise ValidationError(_("The distance cannot be negative."), code="distance_negative")
    with transaction.atomic():
        locked, request = _locked(application)
        if locked.is_closed:
            raise ValidationError(_("A closed application cannot be changed."), code="closed")
        request.distance_override_m = distance_m
        request.distance_override_reason = reason
        request.distance_override_by = actor
        request.distance_override_at = timezone.now()
        request.save(
            update_fields=[
                "distance_override_m",
                "distance_override_reason",
                "distance_override_by",
                "distance_override_at",
            ]
        )
    return request
