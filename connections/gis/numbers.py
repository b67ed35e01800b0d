"""Registry and registration numbers as typed and as stored."""

import re

_SPACES = re.compile(r"\s+")


def normalize_number(value):
    """The form of a property number that is stored and looked up: an applicant who types
    "ab-123 " or pastes a non-breaking space finds the same parcel as the GIS export names."""
    return _SPACES.sub("", str(value or "")).upper()
