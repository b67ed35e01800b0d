"""Two tenants, an owner with objects in tenant A, and people who must not see them.

Objects are built lazily, so each URL's cases create only what they need; ``build_all`` makes
everything, for the pages that list objects.
"""

from functools import cached_property

from tests.accounts.factories import UserFactory
from tests.portal.factories import StaffMembershipFactory, TenantFactory


class World:
    def __init__(self):
        self.tenant_a = TenantFactory(slug="tenant-a", name="Tenant A", application_prefix="TNA")
        self.tenant_b = TenantFactory(slug="tenant-b", name="Tenant B", application_prefix="TNB")
        self.owner = UserFactory(email="owner@example.com", full_name="Owner Of Things")
        self.intruder = UserFactory(email="intruder@example.com", full_name="Intruder Person")
        self.staff_b = StaffMembershipFactory(tenant=self.tenant_b, user__email="staff-b@example.com").user
        # The owner's basic data, so that the forms that show them (W2) are reached, not their
        # "fill in your details" page.
        from accounts.models import PersonalDetails

        PersonalDetails.objects.create(user=self.owner, country="AZ", surname="Owner", given_name="Of Things")

    # --- objects of the owner in tenant A -------------------------------------------------------
    @cached_property
    def account(self):
        from tests.meters.factories import SubscriberAccountFactory

        account = SubscriberAccountFactory(tenant=self.tenant_a, code="ISOLATED-ACC-1", holder_name="Hidden Holder")
        account.users.add(self.owner)
        return account

    @cached_property
    def meter(self):
        from tests.meters.factories import MeterFactory

        return MeterFactory(account=self.account, serial_number="ISOLATED-SN-1")

    @cached_property
    def application(self):
        from tests.applications.factories import ApplicationFactory

        return ApplicationFactory(
            tenant=self.tenant_a,
            applicant=self.owner,
            account=self.account,
            number="TNA-2026-424242",
            kind__code="meter_readings",
        )

    @cached_property
    def submitted_reading(self):
        import datetime
        from decimal import Decimal

        from django.core.files.base import ContentFile

        from readings.models import SubmittedReading

        line = SubmittedReading(
            tenant=self.tenant_a,
            application=self.application,
            meter=self.meter,
            entered_serial=self.meter.serial_number,
            value=Decimal("123.000"),
            reading_date=datetime.date(2026, 11, 1),
        )
        line.photo.save("isolation.pdf", ContentFile(b"%PDF-1.4 isolation"), save=False)
        line.save()
        return line

    @cached_property
    def invoice(self):
        import datetime

        from billing.models import Invoice

        return Invoice.objects.create(
            tenant=self.tenant_a,
            number="INV-ISOLATED-1",
            account=self.account,
            application=self.application,
            period_start=datetime.date(2026, 10, 1),
            period_end=datetime.date(2026, 11, 1),
            issued_on=datetime.date(2026, 11, 2),
            due_on=datetime.date(2026, 11, 10),
            currency="AZN",
            payment_reference="REF-ISOLATED",
            language="en",
        )

    @cached_property
    def organization(self):
        from tests.accounts.factories import OrganizationFactory
        from tests.cabinet.factories import member_of

        organization = OrganizationFactory(
            tax_number="990011223", name="Hidden Company LLC", legal_address="Hidden street 1"
        )
        member_of(organization, self.owner, "owner")
        return organization

    @cached_property
    def owner_membership(self):
        return self.organization.memberships.get(user=self.owner)

    @cached_property
    def invitation(self):
        from accounts.models import OrganizationInvitation

        return OrganizationInvitation.objects.create(
            organization=self.organization,
            email=self.intruder.email,
            role="accountant",
            invited_by=self.owner,
            token="isolation-invitation-token-0123456789",
        )

    @cached_property
    def unconfirmed(self):
        return UserFactory(email="unconfirmed@example.com", email_confirmed=False)

    @cached_property
    def contract(self):
        """A contract of tenant A linked to the owner's organization (the cabinet's object)."""
        from tests.cabinet.factories import linked_contract

        return linked_contract(
            self.tenant_a,
            organization=self.organization,
            number="ISOLATED-CONTRACT-1",
            counterparty_name="Hidden Counterparty JSC",
            account__code="ISOLATED-LEGAL-1",
        )

    @cached_property
    def service_point(self):
        from tests.meters.factories import ServicePointFactory

        return ServicePointFactory(contract=self.contract, address="Hidden connection point 7")

    @cached_property
    def cabinet_settings(self):
        from cabinet.models import CabinetSettings

        return CabinetSettings.objects.create(tenant=self.tenant_a, readings_meter_kinds=["gas"])

    def cached(self, name, build):
        """For registry modules: build an object once per world."""
        if name not in self.__dict__:
            self.__dict__[name] = build()
        return self.__dict__[name]

    def build_all(self):
        for name in (
            "account",
            "meter",
            "application",
            "submitted_reading",
            "invoice",
            "organization",
            "contract",
            "service_point",
            "cabinet_settings",
        ):
            getattr(self, name)

    def tenant_a_objects(self):
        built = self.__dict__
        names = (
            "account",
            "meter",
            "application",
            "submitted_reading",
            "invoice",
            "contract",
            "service_point",
            "cabinet_settings",
        )
        return [built[name] for name in names if name in built] + [self.account.branch]

    @property
    def markers(self):
        """Strings of tenant A's rows that no page under tenant B may show. Organizations are not
        tenant-owned (one company may deal with several utilities), so they are not markers."""
        built = self.__dict__
        markers = []
        if "account" in built:
            markers += [self.account.code, self.account.holder_name]
        if "application" in built:
            markers.append(self.application.number)
        if "invoice" in built:
            markers.append(self.invoice.number)
        if "contract" in built:
            markers += [self.contract.number, self.contract.counterparty_name]
        if "service_point" in built:
            markers.append(self.service_point.address)
        return markers
