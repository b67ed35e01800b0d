"""The W3 cast: Azerigaz with a Baku branch (the §2.1 five-day term) and a Ganja branch (ten),
a consumer holding an account with a gas meter, staff, and the price list of domain-figures.md."""

import datetime
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

from meters.models import Meter
from removals import services
from removals.models import Channel, MeterPrice, Reason
from tests.accounts.factories import UserFactory
from tests.meters.factories import MeterFactory, SubscriberAccountFactory
from tests.portal.factories import BranchFactory, StaffMembershipFactory, TenantFactory

BAKU = ZoneInfo("Asia/Baku")


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=BAKU)


class Cast:
    def __init__(self):
        self.tenant = TenantFactory(slug="azerigaz", name="Azerigaz", application_prefix="AQZ", default_language="en")
        self.baku = BranchFactory(tenant=self.tenant, code="narimanov", name="Nərimanov", short_lab_delivery_term=True)
        self.ganja = BranchFactory(tenant=self.tenant, code="ganja", name="Gəncə", short_lab_delivery_term=False)
        self.staff = StaffMembershipFactory(tenant=self.tenant, user__email="staff@azerigaz.test").user
        from django.contrib.auth.models import Permission

        self.staff.user_permissions.add(
            *Permission.objects.filter(content_type__app_label__in=["meters", "applications", "billing", "removals"])
        )
        self.consumer = UserFactory(
            email="consumer@example.com", full_name="Aysel Mammadova", phone="+994501234567", preferred_language="en"
        )
        MeterPrice.objects.create(
            tenant=self.tenant,
            meter_type="G4",
            verification_fee=Decimal("7.29"),
            meter_value=Decimal("230.00"),
            installation_cost=Decimal("25.00"),
        )

    def account(self, branch=None, code=None):
        kwargs = {"code": code} if code else {}
        account = SubscriberAccountFactory(tenant=self.tenant, branch=branch or self.baku, **kwargs)
        account.users.add(self.consumer)
        return account

    def meter(self, account=None, **kwargs):
        account = account or self.account()
        defaults = {"kind": Meter.Kind.GAS, "model": "G4", "seal_number": "S-1"}
        return MeterFactory(account=account, **{**defaults, **kwargs})

    def case(self, *, branch=None, reason=Reason.TAMPERING, channel=Channel.FIELD_VISIT, **kwargs):
        meter = self.meter(self.account(branch))
        removal, _created = services.open_case(
            account=meter.account,
            meter=meter,
            reason=reason,
            channel=channel,
            actor=self.staff,
            idempotency_key=uuid.uuid4().hex,
            **kwargs,
        )
        return removal

    def removed(self, removal, *, when=None, reading="1234.500", seals="A-1, A-2"):
        return services.record_removal(
            removal=removal,
            actor=self.staff,
            removed_at=when or at(2026, 3, 19),
            reading=Decimal(reading),
            seals=seals,
            consumer_present=True,
            bag_number="BAG-77",
        )
