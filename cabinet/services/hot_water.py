"""W5: hot-water waste volumes per connection point and reporting period.

The volume is current − previous hot-water reading where both exist; the subscriber enters it
otherwise. Readings are assigned to periods by the hot-water submission windows: the current
reading of period M is the last accepted one dated after M−1's window closed and up to M's window
closing day, the previous one is the last accepted one up to M−1's closing day. Monthly readings
taken at the end of the month and readings sent in the window both fall into the right period.
With several hot-water meters at one point, their readings are summed.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cabinet.models import HotWaterVolume
from cabinet.services.period_readings import SubmissionClosed
from cabinet.windows import closed_message, submission_window
from meters.models import Meter, Reading, ServicePoint
from portal.dates import add_months

THOUSANDTH = Decimal("0.001")


@dataclass
class PointRow:
    service_point: ServicePoint
    previous_reading: Decimal | None
    current_reading: Decimal | None
    record: HotWaterVolume | None
    previous_date: datetime.date | None = None  # of the previous reading (the latest, with several meters)
    current_date: datetime.date | None = None
    previous_volume: Decimal | None = None  # the volume of the period before

    @property
    def computed(self):
        return self.previous_reading is not None and self.current_reading is not None

    @property
    def computed_volume(self):
        return (self.current_reading - self.previous_reading).quantize(THOUSANDTH) if self.computed else None

    @property
    def submitted(self):
        return self.record is not None and self.record.status == HotWaterVolume.Status.SUBMITTED


def hot_water_rows(*, contract, period, calendar):
    """PointRow per connection point of the contract, in three queries whatever their number."""
    window = submission_window(contract, period, hot_water=True, calendar=calendar)
    before = submission_window(contract, add_months(period, -1), hot_water=True, calendar=calendar)
    if window is None:
        return []
    accepted = Reading.objects.filter(meter=OuterRef("pk"), status=Reading.Status.ACCEPTED).order_by(
        "-reading_date", "-pk"
    )
    previous = accepted.filter(reading_date__lte=before.closes_on)
    current = accepted.filter(reading_date__gt=before.closes_on, reading_date__lte=window.closes_on)
    meters = (
        Meter.objects.filter(service_point__contract=contract, kind=Meter.Kind.HOT_WATER, status=Meter.Status.ACTIVE)
        .annotate(
            previous=Subquery(previous.values("value")[:1]),
            current=Subquery(current.values("value")[:1]),
            previous_date=Subquery(previous.values("reading_date")[:1]),
            current_date=Subquery(current.values("reading_date")[:1]),
        )
        .values("service_point_id", "previous", "current", "previous_date", "current_date")
    )
    by_point = {}
    for meter in meters:
        by_point.setdefault(meter["service_point_id"], []).append(meter)
    records = {record.service_point_id: record for record in contract.hot_water_volumes.filter(period=period)}
    before_volumes = dict(
        contract.hot_water_volumes.filter(period=add_months(period, -1)).values_list("service_point_id", "volume")
    )
    rows = []
    for point in contract.service_points.order_by("address", "pk"):
        readings = by_point.get(point.pk, [])
        complete = readings and all(m["previous"] is not None and m["current"] is not None for m in readings)
        previous = sum((Decimal(m["previous"]) for m in readings), Decimal(0)) if complete else None
        current = sum((Decimal(m["current"]) for m in readings), Decimal(0)) if complete else None
        if complete and current < previous:  # a replaced meter: the difference means nothing
            previous = current = None
        rows.append(
            PointRow(
                service_point=point,
                previous_reading=previous,
                current_reading=current,
                record=records.get(point.pk),
                previous_date=_latest(m["previous_date"] for m in readings) if complete else None,
                current_date=_latest(m["current_date"] for m in readings) if complete else None,
                previous_volume=before_volumes.get(point.pk),
            )
        )
    return rows


def _latest(dates):
    dates = [datetime.date.fromisoformat(day) if isinstance(day, str) else day for day in dates if day]
    return max(dates) if dates else None


def save_hot_water_volumes(*, tenant, contract, period, entered, user, calendar, today, submit):
    """Save (``submit`` False: drafts, any time) or submit (inside the hot-water window) the
    volumes. ``entered`` maps a connection point id to the volume typed in (None when left empty);
    a computed volume ignores what was typed. A submitted volume is final. Returns the records."""
    window = submission_window(contract, period, hot_water=True, calendar=calendar)
    if window is None:
        raise ValidationError(_("This contract has no hot-water volumes deadline."), code="no_deadline")
    if submit and not window.contains(today):
        message = closed_message(contract, period, today, hot_water=True, calendar=calendar)
        raise SubmissionClosed(message, code="window_closed")
    saved = []
    with transaction.atomic():
        rows = hot_water_rows(contract=contract, period=period, calendar=calendar)
        open_rows = [row for row in rows if not row.submitted and not row.computed]
        missing = [row for row in open_rows if entered.get(row.service_point.pk) is None]
        if submit and missing:
            raise ValidationError(
                _("Enter the volume of every connection point: %(points)s.")
                % {"points": ", ".join(str(row.service_point) for row in missing)},
                code="missing_volume",
            )
        for row in rows:
            volume = row.computed_volume if row.computed else entered.get(row.service_point.pk)
            if row.submitted or volume is None:
                continue
            record, _created = HotWaterVolume.objects.update_or_create(
                service_point=row.service_point,
                period=period,
                defaults={
                    "tenant": tenant,
                    "contract": contract,
                    "previous_reading": row.previous_reading,
                    "current_reading": row.current_reading,
                    "volume": volume,
                    "computed": row.computed,
                    "status": HotWaterVolume.Status.SUBMITTED if submit else HotWaterVolume.Status.DRAFT,
                    "saved_by": user,
                    "submitted_at": timezone.now() if submit else None,
                },
            )
            saved.append(record)
    return saved
