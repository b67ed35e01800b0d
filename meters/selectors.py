"""Reads shared by the readings form, the services and the staff review: each meter's last
accepted reading, its usual consumption and the plausible range of the next reading."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from meters.models import Meter, Reading, SupplySuspension

# The usual consumption is measured over the accepted readings of the last year.
HISTORY_DAYS = 365
# Below this span between two readings the history says too little about the usual consumption.
MIN_HISTORY_DAYS = 20
# A reading may be up to three times the usual consumption since the last one...
PLAUSIBILITY_FACTOR = 3
# ...and never less than this above the last reading, so that small or new users are not flagged
# for ordinary use (a household uses ~8-12 m³ of cold water a month).
FLOOR_BY_KIND = {
    Meter.Kind.COLD_WATER: Decimal("15"),
    Meter.Kind.HOT_WATER: Decimal("10"),
    Meter.Kind.ELECTRICITY: Decimal("600"),
    Meter.Kind.GAS: Decimal("150"),
}
# Daily use assumed while a meter has no usable history (a generous household figure).
DEFAULT_DAILY_BY_KIND = {
    Meter.Kind.COLD_WATER: Decimal("0.6"),
    Meter.Kind.HOT_WATER: Decimal("0.4"),
    Meter.Kind.ELECTRICITY: Decimal("12"),
    Meter.Kind.GAS: Decimal("5"),
}
UNIT_BY_KIND = {
    Meter.Kind.COLD_WATER: _("m³"),
    Meter.Kind.HOT_WATER: _("m³"),
    Meter.Kind.ELECTRICITY: _("kWh"),
    Meter.Kind.GAS: _("m³"),
}
THOUSANDTH = Decimal("0.001")


@dataclass
class MeterSummary:
    meter: Meter
    last_value: Decimal  # the last accepted reading, or the reading at installation
    last_date: datetime.date
    has_accepted_reading: bool
    usual_daily: Decimal | None  # None: too little history
    verification_expired: bool = False  # on the day the summary was made for
    supply_suspended: bool = False  # an open SupplySuspension (W3): no readings are taken for it

    @property
    def unit(self):
        return UNIT_BY_KIND.get(self.meter.kind, "")

    @property
    def daily_for_range(self):
        return self.usual_daily if self.usual_daily is not None else DEFAULT_DAILY_BY_KIND[self.meter.kind]

    def plausible_range(self, on):
        """(lowest, highest) reading that needs no confirmation on the date ``on``."""
        days = max((on - self.last_date).days, 0)
        spread = max(self.daily_for_range * days * PLAUSIBILITY_FACTOR, FLOOR_BY_KIND[self.meter.kind])
        return self.last_value, (self.last_value + spread).quantize(THOUSANDTH, ROUND_HALF_UP)


def meter_summaries(meters, today):
    """MeterSummary per meter of ``meters`` (a queryset), in one query whatever their number."""
    accepted = Reading.objects.filter(meter=OuterRef("pk"), status=Reading.Status.ACCEPTED)
    latest = accepted.order_by("-reading_date", "-pk")
    first_in_window = accepted.filter(reading_date__gte=today - datetime.timedelta(days=HISTORY_DAYS)).order_by(
        "reading_date", "pk"
    )
    rows = meters.annotate(
        last_value=Subquery(latest.values("value")[:1]),
        last_date=Subquery(latest.values("reading_date")[:1]),
        first_value=Subquery(first_in_window.values("value")[:1]),
        first_date=Subquery(first_in_window.values("reading_date")[:1]),
        supply_suspended=Exists(open_suspensions().filter(meter=OuterRef("pk"))),
    )
    return [summarize(meter, today) for meter in rows]


def summarize(meter, today):
    has_reading = meter.last_value is not None
    usual_daily = None
    if has_reading and meter.first_date is not None:
        span = (meter.last_date - meter.first_date).days
        if span >= MIN_HISTORY_DAYS and meter.last_value >= meter.first_value:
            usual_daily = (meter.last_value - meter.first_value) / span
    return MeterSummary(
        meter=meter,
        # SQLite hands subquery decimals back unscaled ("200"); show them with the meter's 3 places.
        last_value=(meter.last_value if has_reading else meter.initial_reading).quantize(THOUSANDTH),
        last_date=meter.last_date if has_reading else meter.installed_on,
        has_accepted_reading=has_reading,
        usual_daily=usual_daily,
        verification_expired=meter.verification_expired(today),
        supply_suspended=bool(getattr(meter, "supply_suspended", False)),
    )


def active_meters(account):
    return Meter.objects.for_tenant(account.tenant).filter(account=account, status=Meter.Status.ACTIVE)


def normalize_serial(value):
    """Factory numbers are compared without case and spaces: "sn 70 0001" is "SN700001"."""
    return "".join((value or "").split()).upper()


def open_suspensions():
    """Suspensions of supply not restored yet (gas meter removal rules §1.2, §2.8)."""
    return SupplySuspension.objects.filter(restored_at__isnull=True)


def account_suspensions(account):
    """The account's open suspensions, for its page: one query."""
    return list(open_suspensions().filter(account=account).select_related("meter").order_by("-suspended_at"))
