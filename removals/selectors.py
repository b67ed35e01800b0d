"""What the consumer's pages and the staff queue read: a fixed number of queries per page."""

from dataclasses import dataclass

from applications import clocks
from meters.models import Meter, SupplySuspension
from removals.models import Act, Appointment, MeterPrice, MeterRemoval


def cases_of(user, tenant):
    """The cases on the accounts ``user`` holds, newest first (one query)."""
    return list(
        MeterRemoval.objects.for_tenant(tenant)
        .filter(application__account__users=user)
        .select_related("meter", "application", "application__kind", "application__tenant", "application__account")
        .order_by("-created_at", "-pk")
    )


@dataclass
class CasePage:
    removal: MeterRemoval
    stages: list
    acts: list
    appointments: list
    suspensions: list
    invoices: list


def case_page(removal):
    application = removal.application
    return CasePage(
        removal=removal,
        stages=clocks.timeline(application),
        acts=list(Act.objects.filter(removal=removal).order_by("created_at", "pk")),
        appointments=list(Appointment.objects.filter(removal=removal).order_by("planned_at")),
        suspensions=list(
            SupplySuspension.objects.filter(tenant=removal.tenant, case_number=application.number)
            .select_related("meter")
            .order_by("suspended_at")
        ),
        invoices=[invoice for invoice in (removal.fee_invoice, removal.damages_invoice) if invoice is not None],
    )


def meters_to_report(user, tenant):
    """The gas meters in service on the accounts ``user`` holds, with the verification fee of
    each (§1.3: shown before he asks)."""
    meters = list(
        Meter.objects.for_tenant(tenant)
        .filter(account__users=user, status=Meter.Status.ACTIVE, kind=Meter.Kind.GAS)
        .select_related("account", "tenant")
        .order_by("account__code", "serial_number")
    )
    return meters


def fees_by_meter(tenant, meters):
    """{meter id: the tenant's verification fee for its type, or None}: one query."""
    prices = {
        price.meter_type.strip().lower(): price.verification_fee for price in MeterPrice.objects.for_tenant(tenant)
    }
    return {meter.pk: prices.get(meter.model.strip().lower()) for meter in meters}
