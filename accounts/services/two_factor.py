"""Two-factor authentication with django-otp: one TOTP app per user plus static backup codes."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODE_COUNT = 10
BACKUP_DEVICE_NAME = "backup"
TOTP_DEVICE_NAME = "authenticator"
TOTP_CODE = re.compile(r"^\d{6}$")


def normalise_token(token):
    return re.sub(r"[\s-]", "", token or "").lower()


def start_totp_setup(*, user):
    """The user's unconfirmed authenticator device, created on first use so that reloading the
    set-up page keeps the secret already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def confirm_totp_device(*, device, token):
    """Confirm the authenticator with a code it shows; returns the new backup codes."""
    if not TOTP_CODE.match(normalise_token(token)) or not device.verify_token(normalise_token(token)):
        raise ValidationError(_("The code is not valid. Enter the 6-digit code your app shows now."), code="invalid")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return replace_backup_codes(user=device.user)


def replace_backup_codes(*, user):
    """Issue a fresh set of single-use backup codes; the old ones stop working."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify_second_factor(*, user, token, allow_backup_code=True):
    """The device that accepts ``token`` (a TOTP code or a backup code), or None.

    Only the device the code's shape points to is tried, so a mistyped code never counts against
    (and throttles) the other device. Each code works once: TOTP devices remember the last time
    step used and backup codes are deleted when used.
    """
    token = normalise_token(token)
    if TOTP_CODE.match(token):
        devices = TOTPDevice.objects.devices_for_user(user, confirmed=True)
    elif allow_backup_code:
        devices = StaticDevice.objects.devices_for_user(user, confirmed=True)
    else:
        return None
    with transaction.atomic():
        for device in devices.select_for_update():
            if device.verify_token(token):
                return device
    return None


def disable_two_factor(*, user):
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
