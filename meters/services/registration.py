"""Registering a meter on an account: one the citizen reported that the database did not have."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from meters.models import Meter
from meters.selectors import normalize_serial


def register_meter(*, account, serial_number, kind, installed_on, initial_reading, seal_number=""):
    """Create an active meter on ``account``; refused when the account already has that factory number."""
    serial = (serial_number or "").strip()
    if not serial:
        raise ValidationError(_("Enter the meter's factory number."), code="serial_required")
    taken = {normalize_serial(s) for s in Meter.objects.filter(account=account).values_list("serial_number", flat=True)}
    if normalize_serial(serial) in taken:
        raise ValidationError(
            _("The account already has a meter №%(serial)s."), code="serial_taken", params={"serial": serial}
        )
    return Meter.objects.create(
        tenant_id=account.tenant_id,
        account=account,
        serial_number=serial,
        seal_number=(seal_number or "").strip(),
        kind=kind,
        installed_on=installed_on,
        initial_reading=initial_reading,
    )
