"""Reads shared by the citizen's pages: who may see what, and the account page in few queries.

The account page costs the same number of queries whatever the number of meters, readings,
invoices or payments: meters come with their last accepted reading as subqueries, the chart's
readings of all meters in one query, invoices and payments in one query each, the balance in two.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Subquery

from accounts.models import OrganizationMembership
from billing import charts
from billing.models import Invoice, Payment
from billing.services import account_balance
from meters.models import Contract, Meter, Reading, SubscriberAccount
from meters.selectors import account_suspensions
from portal.dates import add_months

# The account page lists this many of the latest invoices and payments; the rest are in the
# billing history.
RECENT_ROWS = 24


def invoices_owned_by(user, tenant):
    """Invoices of ``tenant`` that ``user`` holds: holders of the account, members of the account's
    organization or of the organization linked to the account's contract (the W4 cabinet). Not the
    applicant as such: anyone may submit readings for a code, and the invoice shows the holder's
    name, consumption and access code. Staff are not owners: their downloads go through
    portal.access (verified, and only for their branches). Conditions are subqueries, so there
    are no duplicate rows."""
    invoices = Invoice.objects.for_tenant(tenant)
    account_user = SubscriberAccount.users.through.objects.filter(
        subscriberaccount_id=OuterRef("account_id"), user_id=user.pk
    )
    organization_member = OrganizationMembership.objects.filter(
        organization_id=OuterRef("account__organization_id"), user_id=user.pk
    )
    contract_member = Contract.objects.filter(
        tenant=tenant, account_id=OuterRef("account_id"), organization__memberships__user_id=user.pk
    )
    return invoices.filter(Exists(account_user) | Exists(organization_member) | Exists(contract_member))


def accounts_of(user, tenant):
    """Subscriber accounts of ``tenant`` that ``user`` holds (the "My accounts" list)."""
    return SubscriberAccount.objects.for_tenant(tenant).filter(users=user).select_related("branch")


def meters_with_last_reading(account):
    """The account's meters, each with ``last_value`` and ``last_date`` of its last accepted reading."""
    last = Reading.objects.filter(meter=OuterRef("pk"), status=Reading.Status.ACCEPTED).order_by("-reading_date", "-pk")
    return (
        Meter.objects.for_tenant(account.tenant_id)
        .filter(account=account)
        .annotate(last_value=Subquery(last.values("value")[:1]), last_date=Subquery(last.values("reading_date")[:1]))
        .order_by("kind", "serial_number")
    )


def chart_readings(account, since):
    """(meter id, date, value) of every accepted reading of the account's meters since ``since``."""
    return list(
        Reading.objects.for_tenant(account.tenant_id)
        .filter(meter__account=account, status=Reading.Status.ACCEPTED, reading_date__gte=since)
        .order_by("meter_id", "reading_date", "pk")
        .values_list("meter_id", "reading_date", "value")
    )


@dataclass
class AccountPage:
    account: SubscriberAccount
    meters: list
    balance: object
    invoices: list
    payments: list
    charts: list
    suspensions: list = ()  # open supply suspensions (W3, meters.SupplySuspension)

    @property
    def in_debt(self):
        return self.balance < 0

    @property
    def balance_amount(self):
        return abs(self.balance)


def account_page(account):
    today = account.tenant.today()
    meters = list(meters_with_last_reading(account))
    readings = chart_readings(account, add_months(charts.window_start(today), -1))
    return AccountPage(
        account=account,
        meters=meters,
        balance=account_balance(account),
        invoices=list(
            Invoice.objects.for_tenant(account.tenant_id)
            .filter(account=account)
            .order_by("-issued_on", "-pk")[:RECENT_ROWS]
        ),
        payments=list(
            Payment.objects.for_tenant(account.tenant_id)
            .filter(account=account)
            .order_by("-paid_on", "-pk")[:RECENT_ROWS]
        ),
        charts=charts.build_charts(meters, readings, today=today),
        suspensions=account_suspensions(account),
    )
