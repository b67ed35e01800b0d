"""The fee as the form asks it: the schedule in force, the quote and its alternatives.

Each call loads the schedule with its rules in two queries, whatever the number of rules, and then
prices in memory (connections/fees.py).
"""

import dataclasses

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from connections import fees
from connections.models import FeeRule, FeeSchedule


def schedule_in_force(tenant, on, *, with_rules=False):
    """The tenant's schedule with the latest effective date on or before ``on``, or None."""
    schedules = FeeSchedule.objects.for_tenant(tenant).filter(effective_from__lte=on).order_by("-effective_from")
    if with_rules:
        schedules = schedules.prefetch_related(Prefetch("rules", queryset=FeeRule.objects.order_by("pk")))
    return schedules.first()


def check_schedule(schedule):
    """Refuse a saved schedule whose rules overlap (the service check behind the admin's)."""
    schedule.check_rules()


def _load(tenant, on):
    on = on or tenant.today()
    schedule = schedule_in_force(tenant, on, with_rules=True)
    if schedule is None:
        raise fees.NotCovered(gettext("No fee schedule is in force for this date."), code="no_schedule")
    return schedule, on


def _price(schedule, inputs, on, tenant):
    return fees.quote(schedule.rules.all(), inputs, today=on, schedule=schedule, currency=tenant.currency)


def quote_for(tenant, inputs, on=None):
    """The quote under the schedule in force on ``on`` (default: the tenant's today)."""
    schedule, on = _load(tenant, on)
    return _price(schedule, inputs, on, tenant)


class AlternativeKind:
    PHASE = "phase"
    TERM = "term"
    BAND_TOP = "band_top"


ALTERNATIVE_LABELS = {
    AlternativeKind.PHASE: _("The other phase"),
    AlternativeKind.TERM: _("The other execution term"),
    AlternativeKind.BAND_TOP: _("The largest power at the same price band"),
}


@dataclasses.dataclass(frozen=True)
class Alternative:
    """One column beside the quote: the inputs changed in one respect, and its quote or the reason
    there is none."""

    kind: str
    inputs: fees.QuoteInputs
    quote: fees.Quote | None = None
    refusal: str = ""

    @property
    def label(self):
        return ALTERNATIVE_LABELS[self.kind]


def _alternative(kind, schedule, inputs, on, tenant):
    try:
        return Alternative(kind=kind, inputs=inputs, quote=_price(schedule, inputs, on, tenant))
    except ValidationError as error:
        return Alternative(kind=kind, inputs=inputs, refusal=" ".join(error.messages))


def alternatives(tenant, inputs, on=None):
    """Side by side with the quote (issue #10, item 2): single- vs three-phase, standard vs urgent
    term and the largest power in the same band. One load of the schedule for all of them; the
    band alternative is left out when the request is not covered or already at the band's top."""
    schedule, on = _load(tenant, on)
    other_phase = fees.Phase.THREE if inputs.phase == fees.Phase.SINGLE else fees.Phase.SINGLE
    other_term = fees.Term.URGENT if inputs.term == fees.Term.STANDARD else fees.Term.STANDARD
    found = [
        _alternative(AlternativeKind.PHASE, schedule, inputs.replace(phase=other_phase), on, tenant),
        _alternative(AlternativeKind.TERM, schedule, inputs.replace(term=other_term), on, tenant),
    ]
    if not inputs.no_fee:
        try:
            power = fees.validate_inputs(inputs)
            rule = fees.matching_rule(schedule.rules.all(), inputs, power)
        except ValidationError:
            rule = None
        if rule is not None and rule.to_kw != power:
            found.append(
                _alternative(AlternativeKind.BAND_TOP, schedule, inputs.replace(power_kw=rule.to_kw), on, tenant)
            )
    return found
