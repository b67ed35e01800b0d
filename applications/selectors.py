"""Reads the applicant's pages and the public status check share."""

from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from applications import kinds
from applications.models import Application, ApplicationEvent, Status
from meters.models import SubscriberAccount
from portal.scoping import get_scoped_or_404


def applications_for(tenant, user):
    """ "My applications": the user's own in this tenant, newest first, in a constant number of queries."""
    return (
        Application.objects.for_tenant(tenant)
        .filter(applicant=user)
        .select_related("kind", "account")
        .order_by("-submitted_at", "-pk")
    )


def application_for_user_or_404(tenant, user, number):
    """The user's application ``number``: another user's or another tenant's is a 404, not a 403.

    ``applicant_holds_account`` says whether he holds the application's account: a kind's details
    show the account's invoice only to a holder (anyone may apply for a code)."""
    holding = SubscriberAccount.users.through.objects.filter(
        subscriberaccount_id=OuterRef("account_id"), user_id=user.pk
    )
    queryset = Application.objects.select_related("kind", "account", "branch").annotate(
        applicant_holds_account=Exists(holding)
    )
    return get_scoped_or_404(queryset, tenant, number=number, applicant=user)


@dataclass(frozen=True)
class TimelineEntry:
    at: object
    what: str
    note: str
    by_applicant: bool

    @property
    def who(self):
        # Staff act on behalf of the utility; their names stay inside the utility.
        return _("You") if self.by_applicant else _("Utility staff")


def public_timeline(application):
    """The events the applicant may see, oldest first, without the staff's names."""
    entries = []
    registered = kinds.find(application.kind.code)
    for event in application.events.filter(public=True).order_by("at", "pk"):
        if event.kind == ApplicationEvent.Kind.STATUS:
            what = Status(event.to_status).label
        elif event.kind == ApplicationEvent.Kind.STAGE:
            what = _stage_label(registered, event.stage)
        else:
            what = _("Comment")
        entries.append(
            TimelineEntry(
                at=event.at,
                what=what,
                note=event.note,
                by_applicant=event.actor_id is not None and event.actor_id == application.applicant_id,
            )
        )
    return entries


def _stage_label(registered, code):
    try:
        return registered.stage(code).label
    except (AttributeError, kinds.UnknownStage):
        return code


def application_by_number_and_code(tenant, number, subscriber_code):
    """The public status check: only a matching number AND subscriber code finds an application.

    Annotated with ``status_since``, the time of its last status change.
    """
    return (
        Application.objects.for_tenant(tenant)
        .filter(number=number, account__code=subscriber_code)
        .annotate(status_since=Max("events__at", filter=Q(events__kind=ApplicationEvent.Kind.STATUS)))
        .only("pk", "status", "submitted_at")
        .first()
    )
