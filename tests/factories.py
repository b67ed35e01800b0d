"""Factories shared by every app's tests. Apps add their own next to their tests."""

import factory
from django.contrib.auth import get_user_model

from portal.models import Branch, StaffMembership, Tenant, Workflow

PASSWORD = "correct-horse-battery"


class TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenant
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"utility{n}")
    name = factory.Sequence(lambda n: f"Utility {n}")
    application_prefix = factory.Sequence(lambda n: f"U{n:05d}")  # unique across tenants
    country_code = "AZ"
    default_language = "en"
    timezone = "Asia/Baku"
    currency = "AZN"
    workflows = factory.LazyFunction(lambda: [w.value for w in Workflow])


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch

    tenant = factory.SubFactory(TenantFactory)
    code = factory.Sequence(lambda n: f"B{n:03d}")
    name = factory.Sequence(lambda n: f"Branch {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    email_confirmed = True
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    tenant = factory.SubFactory(TenantFactory)
    user = factory.SubFactory(UserFactory, is_staff=True)
    role = StaffMembership.Role.REVIEWER


def login_verified_staff(client, user):
    """Log ``client`` in as ``user`` with the admin's TOTP step passed (a confirmed device in the session).

    django-otp's middleware marks ``request.user.is_verified()`` from the device id kept in the session.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
