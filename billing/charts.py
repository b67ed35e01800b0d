"""Consumption by month for the account page, drawn as server-side SVG (readable without JS).

The numbers come from accepted readings: the difference between two successive readings of a
meter is counted in the month of the later one (readings are monthly, so a month's bar is what
the citizen was billed for that month). The template templates/billing/includes/consumption_chart.html
draws the bars with a <title>, a <desc> and a data table fallback.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from meters.models import Meter
from portal.dates import add_months, month_start

MONTHS = 24
UNITS = {
    Meter.Kind.COLD_WATER: "m³",
    Meter.Kind.HOT_WATER: "m³",
    Meter.Kind.ELECTRICITY: _("kWh"),
    Meter.Kind.GAS: "m³",
}

# Geometry of the SVG in user units; the SVG scales to the page width through its viewBox.
WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 12, 36


def window_start(today, months=MONTHS):
    """First day of the earliest month shown; readings from one month earlier are fetched as the
    baseline of its first bar."""
    return add_months(month_start(today), -(months - 1))


@dataclass
class Bar:
    month: datetime.date
    value: Decimal
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0


@dataclass
class Chart:
    kind: str
    label: str
    unit: str
    bars: list
    maximum: Decimal
    ticks: list = field(default_factory=list)  # (y, value) gridlines

    @property
    def total(self):
        return sum((bar.value for bar in self.bars), Decimal("0"))

    width = WIDTH
    height = HEIGHT
    left = LEFT
    baseline = HEIGHT - BOTTOM


def monthly_consumption(meters, readings, *, today, months=MONTHS):
    """{meter kind: {month start: consumption}} over the ``months`` months up to ``today``.

    ``readings`` are (meter_id, reading_date, value) rows of accepted readings, ordered by meter
    and date, from one month before the window. A meter installed in the window counts its first
    reading from its reading at installation.
    """
    first_month = window_start(today, months)
    meters_by_id = {meter.pk: meter for meter in meters}
    previous = {}
    totals = defaultdict(lambda: defaultdict(Decimal))
    for meter_id, reading_date, value in readings:
        meter = meters_by_id.get(meter_id)
        if meter is None:
            continue
        if meter_id not in previous and meter.installed_on >= add_months(first_month, -1):
            previous[meter_id] = meter.initial_reading
        if meter_id in previous and reading_date >= first_month:
            used = value - previous[meter_id]
            if used > 0:  # a lower reading (correction, replacement) is no negative bar
                totals[meter.kind][month_start(reading_date)] += used
        previous[meter_id] = value
    return totals


def build_charts(meters, readings, *, today, months=MONTHS):
    """One Chart per meter kind of the account, with bar geometry ready for the template."""
    totals = monthly_consumption(meters, readings, today=today, months=months)
    first_month = window_start(today, months)
    month_list = [add_months(first_month, offset) for offset in range(months)]
    charts = []
    kinds = sorted({meter.kind for meter in meters}, key=list(Meter.Kind.values).index)
    for kind in kinds:
        per_month = totals.get(kind, {})
        bars = [
            Bar(month=month, value=per_month.get(month, Decimal("0")).quantize(Decimal("0.001")))
            for month in month_list
        ]
        maximum = max((bar.value for bar in bars), default=Decimal("0"))
        chart = Chart(kind=kind, label=Meter.Kind(kind).label, unit=UNITS[kind], bars=bars, maximum=maximum)
        _layout(chart)
        charts.append(chart)
    return charts


def _layout(chart):
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(chart.bars), 1)
    scale = float(chart.maximum) or 1.0
    for index, bar in enumerate(chart.bars):
        bar.height = round(float(bar.value) / scale * plot_height, 1)
        bar.width = round(slot * 0.7, 1)
        bar.x = round(LEFT + index * slot + slot * 0.15, 1)
        bar.y = round(TOP + plot_height - bar.height, 1)
    chart.ticks = (
        [
            (
                round(TOP + plot_height - plot_height * fraction, 1),
                (chart.maximum * Decimal(str(fraction))).quantize(Decimal("0.1")),
            )
            for fraction in (0.5, 1.0)
        ]
        if chart.maximum
        else []
    )
