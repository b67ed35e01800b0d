"""Factories and helpers for the accounts tests."""

import re

import factory
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Organization, OrganizationMembership
from tests.factories import UserFactory


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

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
