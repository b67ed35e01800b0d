"""Factories for portal rows (tenants, branches, staff) and the helpers every area's tests share:
the admin login with the TOTP step passed, and image bytes for uploads."""

import io

import factory
from PIL import Image

from portal.models import Branch, StaffMembership, Tenant, Workflow


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


class StaffMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    tenant = factory.SubFactory(TenantFactory)
    # By path: the user is accounts' row, a layer above portal.
    user = factory.SubFactory("tests.accounts.factories.UserFactory", is_staff=True)
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


def jpeg_bytes(size=(64, 48), exif=None):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (120, 160, 200))
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, "JPEG", **kwargs)
    return buffer.getvalue()
