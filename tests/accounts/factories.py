"""Factories for accounts rows (users, organizations, members) and the two-factor helpers."""

import re

import factory
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Organization, OrganizationMembership

PASSWORD = "correct-horse-battery"


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


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("tax_number",)

    tax_number = factory.Sequence(lambda n: f"{1400000000 + n}")
    name = factory.Sequence(lambda n: f"Company {n} LLC")
    legal_address = "Baku, Nizami street 10"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganizationMembership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = OrganizationMembership.Role.OWNER


def totp_device(user):
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def backup_codes(user, codes=("aaaa2222", "bbbb3333")):
    device = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    for code in codes:
        StaticToken.objects.create(device=device, token=code)
    return list(codes)


def current_code(device, steps_ahead=0):
    """The code the user's app shows now (``steps_ahead`` = 1: the next 30-second code, which the
    device still accepts within its tolerance)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead):06d}"


def first_link(text):
    return re.search(r"https?://\S+", text).group(0)
