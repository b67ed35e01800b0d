"""Use cases of the meters app: the only code that writes readings and reading applications."""

from meters.services.corrections import correct_reading
from meters.services.hot_water import PointRow, hot_water_rows, save_hot_water_volumes
from meters.services.review import (
    ON_SITE_CHECK_WORKING_DAYS,
    ReviewRefused,
    accept_readings,
    record_on_site_check,
    reject_readings,
    send_to_on_site_check,
)
from meters.services.submission import ReadingLine, assess_line, submit_readings

__all__ = [
    "ON_SITE_CHECK_WORKING_DAYS",
    "PointRow",
    "ReadingLine",
    "ReviewRefused",
    "accept_readings",
    "assess_line",
    "correct_reading",
    "hot_water_rows",
    "record_on_site_check",
    "reject_readings",
    "save_hot_water_volumes",
    "send_to_on_site_check",
    "submit_readings",
]
