"""W2 as the workflow engine knows it: the kind code and its stages with their legal clocks
(registered in ConnectionsConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from applications.kinds import Stage

GRID_CONNECTION = "grid_connection"


class Stages:
    REGISTERED = "registered"
    REVIEW = "review"
    INVOICED = "invoiced"
    PAID = "paid"
    CONDITIONS = "conditions"
    CONNECTED = "connected"


def _settings(application):
    from connections.models import ConnectionSettings

    return ConnectionSettings.for_tenant(application.tenant)


def review_term(application):
    return _settings(application).review_days


def connection_term(application):
    """The connection term counted from the payment (Cabinet Decision No. 327): 24 working days
    for households, 20 for entrepreneurs, 12 for the paid urgent term; per tenant in the admin."""
    request = application.connection_request
    return _settings(application).connection_days(applicant_kind=request.applicant_kind, term=request.term)


def conditions_term(application):
    """The technical conditions are part of the connection term, not an extra one: their clock
    ends on the same legal date as the payment's (the working days still left of it)."""
    from applications.models import StageClock
    from portal.workdays import calendar_for

    paid = StageClock.objects.filter(application=application, stage=Stages.PAID).first()
    if paid is None or paid.due_on is None:
        return connection_term(application)
    today = application.tenant.today()
    return max(calendar_for(application.tenant).working_days_between(today, paid.due_on), 0)


STAGES = (
    Stage(code=Stages.REGISTERED, label=_("Registered")),
    Stage(
        code=Stages.REVIEW, label=_("Under review by the branch"), term=review_term, counts_from=_("from registration")
    ),
    Stage(code=Stages.INVOICED, label=_("Fee invoice issued")),
    Stage(
        code=Stages.PAID, label=_("Fee paid: connection works"), term=connection_term, counts_from=_("from the payment")
    ),
    Stage(
        code=Stages.CONDITIONS,
        label=_("Technical conditions issued"),
        term=conditions_term,
        counts_from=_("within the connection term"),
    ),
    Stage(code=Stages.CONNECTED, label=_("Connected")),
)
