"""Use cases of the master data: the only code that corrects booked readings."""

from meters.services.corrections import Correction, correct_reading, correct_readings
from meters.services.registration import register_meter

__all__ = ["Correction", "correct_reading", "correct_readings", "register_meter"]
