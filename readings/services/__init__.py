"""Use cases of W1: the only code that writes readings applications and books what staff accept."""

from readings.services.review import (
    DECIDABLE,
    ON_SITE_CHECK_WORKING_DAYS,
    NewMeter,
    ReviewRefused,
    accept_readings,
    mark_lines_withdrawn,
    record_on_site_check,
    reject_readings,
    send_to_on_site_check,
)
from readings.services.submission import ReadingLine, assess_line, submit_readings
from readings.services.supersession import replaced_lines

__all__ = [
    "DECIDABLE",
    "ON_SITE_CHECK_WORKING_DAYS",
    "NewMeter",
    "ReadingLine",
    "ReviewRefused",
    "accept_readings",
    "assess_line",
    "mark_lines_withdrawn",
    "record_on_site_check",
    "reject_readings",
    "replaced_lines",
    "send_to_on_site_check",
    "submit_readings",
]
