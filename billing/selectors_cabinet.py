"""Reads of the legal-entity cabinet's billing pages (W4): history, payments, the current month's
estimate and the monthly report.

Every function costs a fixed number of queries whatever the number of meters, invoices or
payments: meters come with their readings at the month's edges as subqueries, tariffs are looked
up once per billed service, and invoices and payments are one query each.

The account comes from a contract the cabinet has already fetched with the tenant and the user's
membership; its invoices, payments and meters are reached through it and not scoped again (the
foreign key already confines them to the account's tenant).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Subquery, Sum

from billing.models import Invoice, Payment, Service
from billing.services import (
    SERVICES_BY_METER_KIND,
    THOUSANDTH,
    ZERO,
    charge,
    line_amounts,
    money,
    tariff_in_force,
)
from meters.models import Meter, Reading
from portal.dates import month_end, month_start

MIN_PERIOD_YEAR = 1900


def parse_period(text):
    """The first day of the month written ``YYYY-MM``, or None when it is not one (or is so far
    back that the month before it, which the pages link to, would not be a date: ?period=0001-01)."""
    try:
        period = datetime.datetime.strptime(text or "", "%Y-%m").date()
    except ValueError:
        return None
    return period if period.year >= MIN_PERIOD_YEAR else None


# -- billing history ------------------------------------------------------------------------------


def invoice_years(account):
    """Years with invoices of the account, newest first (the history's year filter)."""
    return [day.year for day in Invoice.objects.filter(account=account).dates("period_start", "year", order="DESC")]


def invoices_by_month(account, year):
    """[(first of month, [invoices])] of the account's invoices for periods starting in ``year``,
    newest month first. One query."""
    invoices = Invoice.objects.filter(account=account, period_start__year=year).order_by("-period_start", "-pk")
    months = []
    for invoice in invoices:
        month = month_start(invoice.period_start)
        if not months or months[-1][0] != month:
            months.append((month, []))
        months[-1][1].append(invoice)
    return months


# -- payments -------------------------------------------------------------------------------------


def payment_years(account):
    return [day.year for day in Payment.objects.filter(account=account).dates("paid_on", "year", order="DESC")]


@dataclass
class PaymentRow:
    payment: Payment
    running_total: Decimal


def payments_with_running_totals(account, year):
    """The year's payments, newest first, each with the total paid in the year up to and
    including it."""
    payments = Payment.objects.filter(account=account, paid_on__year=year).select_related("invoice")
    rows, total = [], ZERO
    for payment in payments.order_by("paid_on", "pk"):
        total += payment.amount
        rows.append(PaymentRow(payment=payment, running_total=money(total)))
    rows.reverse()
    return rows


# -- consumption between two dates ----------------------------------------------------------------


@dataclass
class MeterConsumption:
    meter: Meter
    start_value: Decimal | None  # the last accepted reading before the month (or at installation)
    end_value: Decimal | None  # the latest accepted reading within the month
    end_date: datetime.date | None
    consumption: Decimal
    start_date: datetime.date | None = None  # the date of start_value (installation for none)

    @property
    def unit(self):
        return "kWh" if self.meter.kind == Meter.Kind.ELECTRICITY else "m³"


def consumption_by_meter(account, first_day, last_day):
    """Per meter of the account: the latest accepted reading between ``first_day`` and
    ``last_day`` minus the last accepted reading before ``first_day`` (the reading at
    installation for a meter without one); 0 for a meter without a reading in the range."""
    return meter_consumption_rows(Meter.objects.filter(account=account), first_day, last_day)


def meter_consumption_rows(meters, first_day, last_day):
    """``consumption_by_meter`` of the meters ``meters`` (of one account, or of a chunk of the
    billing run's accounts), in one query."""
    accepted = Reading.objects.filter(meter=OuterRef("pk"), status=Reading.Status.ACCEPTED).order_by(
        "-reading_date", "-pk"
    )
    within = accepted.filter(reading_date__gte=first_day, reading_date__lte=last_day)
    before = accepted.filter(reading_date__lt=first_day)
    meters = (
        meters.filter(installed_on__lte=last_day)
        .annotate(
            end_value=Subquery(within.values("value")[:1]),
            end_date=Subquery(within.values("reading_date")[:1]),
            before_value=Subquery(before.values("value")[:1]),
            before_date=Subquery(before.values("reading_date")[:1]),
        )
        .order_by("kind", "serial_number")
    )
    rows = []
    for meter in meters:
        start = meter.before_value if meter.before_value is not None else meter.initial_reading
        start_date = meter.before_date if meter.before_value is not None else meter.installed_on
        consumption = ZERO
        if meter.end_value is not None:
            # A reading below the one before (a replaced counter) bills nothing, as on invoices.
            consumption = max(meter.end_value - start, ZERO)
        rows.append(
            MeterConsumption(
                meter=meter,
                start_value=start,
                end_value=meter.end_value,
                end_date=meter.end_date,
                consumption=consumption.quantize(THOUSANDTH),
                start_date=start_date,
            )
        )
    return rows


# -- the current month's estimate -----------------------------------------------------------------


@dataclass
class EstimateLine:
    meter: Meter
    service: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    net: Decimal
    vat: Decimal
    amount: Decimal

    @property
    def service_label(self):
        return Service(self.service).label


@dataclass
class CurrentMonthEstimate:
    first_day: datetime.date
    today: datetime.date
    meters: list
    lines: list
    missing_services: list = field(default_factory=list)
    monthly_limit: Decimal | None = None

    @property
    def consumption(self):
        return sum((row.consumption for row in self.meters), ZERO)

    @property
    def net(self):
        return sum((line.net for line in self.lines), ZERO)

    @property
    def vat(self):
        return sum((line.vat for line in self.lines), ZERO)

    @property
    def total(self):
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def limit_used_percent(self):
        if not self.monthly_limit:
            return None
        return (self.consumption * 100 / self.monthly_limit).quantize(Decimal("0.1"))

    @property
    def over_limit(self):
        return self.monthly_limit is not None and self.monthly_limit > 0 and self.consumption > self.monthly_limit


def current_month_estimate(contract, today):
    """Consumption since the month began × the tariff in force ``today`` for the account's
    category and branch, tiered per meter like the invoices; an estimate, not an invoice."""
    account = contract.account
    first_day = month_start(today)
    meters = consumption_by_meter(account, first_day, today)
    tariffs = {}
    lines = []
    for row in meters:
        if row.consumption <= 0:
            continue
        for service in SERVICES_BY_METER_KIND[row.meter.kind]:
            if service not in tariffs:
                tariffs[service] = tariff_in_force(
                    tenant=account.tenant, service=service, category=account.category, branch=account.branch, on=today
                )
            tariff = tariffs[service]
            if tariff is None:
                continue
            for quantity, unit_price in charge(consumption=row.consumption, tariff=tariff):
                net, vat, gross = line_amounts(quantity=quantity, unit_price=unit_price, tariff=tariff)
                lines.append(EstimateLine(row.meter, service, quantity, tariff.unit, unit_price, net, vat, gross))
    missing = [Service(service).label for service, tariff in tariffs.items() if tariff is None]
    return CurrentMonthEstimate(
        first_day=first_day,
        today=today,
        meters=meters,
        lines=lines,
        missing_services=missing,
        monthly_limit=contract.monthly_limit,
    )


# -- the monthly report ---------------------------------------------------------------------------


@dataclass
class MonthlyReportData:
    contract: object
    first_day: datetime.date
    last_day: datetime.date
    meters: list
    invoices: list
    payments: list
    opening_balance: Decimal

    @property
    def currency(self):
        return self.contract.tenant.currency

    @property
    def consumption(self):
        return sum((row.consumption for row in self.meters), ZERO)

    @property
    def charges_total(self):
        return money(sum((invoice.total for invoice in self.invoices), ZERO))

    @property
    def payments_total(self):
        return money(sum((payment.amount for payment in self.payments), ZERO))

    @property
    def closing_balance(self):
        return money(self.opening_balance + self.payments_total - self.charges_total)


def balance_before(account, day):
    """Payments minus invoices (cancelled ones aside) before ``day``: negative is a debt. An
    invoice counts in the month its billing period ends."""
    invoiced = (
        Invoice.objects.filter(account=account, period_end__lt=day)
        .exclude(status=Invoice.Status.CANCELLED)
        .aggregate(s=Sum("total"))["s"]
    )
    paid = Payment.objects.filter(account=account, paid_on__lt=day).aggregate(s=Sum("amount"))["s"]
    return money((paid or ZERO) - (invoiced or ZERO))


def monthly_report(contract, period):
    """Consumption per meter, the charges (invoices whose billing period ends in the month) and the
    payments of the month ``period`` (its first day), with the opening and closing balance."""
    account = contract.account
    first_day, last_day = month_start(period), month_end(period)
    invoices = (
        Invoice.objects.filter(account=account, period_end__gte=first_day, period_end__lte=last_day)
        .exclude(status=Invoice.Status.CANCELLED)
        .order_by("period_end", "pk")
    )
    payments = Payment.objects.filter(account=account, paid_on__gte=first_day, paid_on__lte=last_day).select_related(
        "invoice"
    )
    return MonthlyReportData(
        contract=contract,
        first_day=first_day,
        last_day=last_day,
        meters=consumption_by_meter(account, first_day, last_day),
        invoices=list(invoices),
        payments=list(payments.order_by("paid_on", "pk")),
        opening_balance=balance_before(account, first_day),
    )
