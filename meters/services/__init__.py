"""Use cases of the master data: the only code that corrects booked readings."""

from meters.services.corrections import correct_reading
from meters.services.registration import register_meter

__all__ = ["correct_reading", "register_meter"]
