"""The rows of the grid connection: the fee schedule (fees.py) and the GIS data (gis.py)."""

from .fees import FeeRule, FeeSchedule

__all__ = ["FeeRule", "FeeSchedule"]
