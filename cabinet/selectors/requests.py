"""Reads of the cabinet's request pages: an organization's W4 requests about one contract, the
supply company's confirmation of each, and the timeline as the organization's members see it."""

from dataclasses import dataclass

from django.db.models import Max, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganizationMembership
from applications.models import Application, ApplicationEvent, Attachment, Status
from applications.selectors import TimelineEntry, public_timeline
from cabinet.kinds import REQUEST_KINDS, Code

DECISIONS = (Status.EXECUTED, Status.REJECTED)

# An employee list is "received" when staff start reviewing it and "confirmed" when executed.
EMPLOYEE_LIST_LABELS = {
    Status.SUBMITTED: _("Submitted"),
    Status.IN_REVIEW: _("Received"),
    Status.EXECUTED: _("Confirmed"),
}


def contract_requests(contract, kinds=REQUEST_KINDS):
    """The requests the contract's organization made about it, newest first, each annotated with
    ``decided_at`` (the executing or rejecting event), in one query.

    Filtering by the organization as well as the account keeps a former holder's requests out
    of sight when a contract moves to another organization.
    """
    return (
        Application.objects.filter(
            organization_id=contract.organization_id, account_id=contract.account_id, kind__code__in=kinds
        )
        .select_related("kind")
        .annotate(
            decided_at=Max(
                "events__at",
                filter=Q(events__kind=ApplicationEvent.Kind.STATUS, events__to_status__in=DECISIONS),
            )
        )
        .order_by("-submitted_at", "-pk")
    )


def request_for_contract_or_404(contract, number):
    return get_object_or_404(contract_requests(contract).select_related("branch", "tenant"), number=number)


def attachment_for_contract_or_404(contract, pk):
    return get_object_or_404(
        Attachment.objects.select_related("application"),
        pk=pk,
        application__organization_id=contract.organization_id,
        application__account_id=contract.account_id,
        application__kind__code__in=REQUEST_KINDS,
    )


def status_label(application):
    if application.kind.code == Code.EMPLOYEE_LIST and application.status in EMPLOYEE_LIST_LABELS:
        return EMPLOYEE_LIST_LABELS[application.status]
    return application.get_status_display()


@dataclass(frozen=True)
class Confirmation:
    """The supply company's answer to a request, shown on the list and on the request's page."""

    state: str  # confirmed | rejected | withdrawn | pending
    at: object = None
    reason: str = ""


def confirmation_of(application):
    """Needs ``decided_at`` from ``contract_requests``."""
    if application.status == Status.EXECUTED:
        return Confirmation("confirmed", application.decided_at)
    if application.status == Status.REJECTED:
        return Confirmation("rejected", application.decided_at, application.decision_reason)
    if application.status == Status.WITHDRAWN:
        return Confirmation("withdrawn", application.closed_at)
    return Confirmation("pending")


@dataclass(frozen=True)
class CabinetTimelineEntry:
    entry: TimelineEntry
    who: str


def cabinet_timeline(application):
    """``public_timeline`` with the author named for the organization's members: a colleague's
    follow-up carries the colleague's name, anything else the supply company's name (staff names
    stay inside the company)."""
    entries = public_timeline(application)
    actors = application.events.filter(public=True).order_by("at", "pk").values_list("actor_id", "actor__full_name")
    members = set(
        OrganizationMembership.objects.filter(organization_id=application.organization_id).values_list(
            "user_id", flat=True
        )
    )
    members.add(application.applicant_id)
    company = application.tenant.local_name
    return [
        CabinetTimelineEntry(entry, name if actor_id in members else company)
        for entry, (actor_id, name) in zip(entries, actors, strict=False)
    ]
