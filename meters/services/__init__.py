"""Use cases of the master data: the only code that corrects booked readings."""

from meters.services.corrections import correct_reading

__all__ = ["correct_reading"]
