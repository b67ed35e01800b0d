"""W3's application kind and its stages, as the engine's registry knows them (registered in
RemovalsConfig.ready()). Section numbers are those of Azerigaz's rules for removing household gas
meters and registering them for state verification."""

from django.utils.translation import gettext_lazy as _

from applications.kinds import Stage

METER_REMOVAL = "meter_removal"
# No application-wide term: each stage has its own clock.
METER_REMOVAL_TERM = 10

# §2.1: the removed meter reaches the verification department within 10 working days of
# disconnection, 5 for Baku, Sumgayit and Absheron (Branch.short_lab_delivery_term).
LAB_DELIVERY_DAYS = 10
SHORT_LAB_DELIVERY_DAYS = 5
# §2.4: verified, documented and handed back within 10 working days of arrival.
VERIFICATION_DAYS = 10
# §2.5: acts (notices and opinions) delivered within 7 working days of intake.
ACT_DAYS = 7
# §1.4: a fault reported out of hours is made safe at once; the work is done the next working day.
OUT_OF_HOURS_DAYS = 1


class StageCode:
    REGISTERED = "registered"
    REMOVED = "removed"
    AT_LAB = "at_lab"
    VERIFIED = "verified"
    ACTS_ISSUED = "acts_issued"
    DAMAGES = "damages"
    ENFORCED = "enforced"
    CLOSED = "closed"


def registered_term(application):
    removal = getattr(application, "meter_removal", None)
    return OUT_OF_HOURS_DAYS if removal is not None and removal.out_of_hours else None


def lab_delivery_term(application):
    short = application.branch is not None and application.branch.short_lab_delivery_term
    return SHORT_LAB_DELIVERY_DAYS if short else LAB_DELIVERY_DAYS


def damages_term(application):
    from removals.models import RemovalSettings

    return RemovalSettings.for_tenant(application.tenant).damages_payment_days


STAGES = (
    Stage(StageCode.REGISTERED, _("Case registered"), term=registered_term, counts_from=_("from the call")),
    Stage(
        StageCode.REMOVED,
        _("Meter removed, on its way to the lab"),
        term=lab_delivery_term,
        counts_from=_("from the removal"),
    ),
    Stage(
        StageCode.AT_LAB,
        _("Received by the verification lab"),
        term=VERIFICATION_DAYS,
        counts_from=_("from the intake"),
    ),
    Stage(StageCode.VERIFIED, _("Verified; acts being drawn up"), term=ACT_DAYS, counts_from=_("from the intake")),
    Stage(StageCode.ACTS_ISSUED, _("Acts delivered")),
    Stage(StageCode.DAMAGES, _("Damages to be paid"), term=damages_term, counts_from=_("from the invoice")),
    Stage(StageCode.ENFORCED, _("Meter removed for non-payment, supply suspended")),
    Stage(StageCode.CLOSED, _("Case closed")),
)
