"""Factories for applications rows: a kind and a bare application (services create real ones)."""

import datetime
import uuid

import factory

from applications.models import Application, ApplicationKind
from readings.kinds import METER_READINGS
from tests.accounts.factories import UserFactory
from tests.portal.factories import TenantFactory


class ApplicationKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationKind
        django_get_or_create = ("tenant", "code")

    tenant = factory.SubFactory(TenantFactory)
    code = METER_READINGS
    name = "Meter readings"
    due_working_days = 5


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A bare application row; services create real ones with numbers and timelines."""

    class Meta:
        model = Application

    tenant = factory.SubFactory(TenantFactory)
    kind = factory.SubFactory(ApplicationKindFactory, tenant=factory.SelfAttribute("..tenant"))
    number = factory.Sequence(lambda n: f"TST-2026-{n:06d}")
    applicant = factory.SubFactory(UserFactory)
    language = "en"
    idempotency_key = factory.LazyFunction(lambda: uuid.uuid4().hex)
    due_on = datetime.date(2026, 12, 1)
