"""Shared set-up for the readings tests: the readings form's data and a photo to attach."""

import datetime
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.meters.factories import TODAY
from tests.portal.factories import jpeg_bytes

YESTERDAY = TODAY - datetime.timedelta(days=1)


def jpeg_upload(name="meter.jpg", **kwargs):
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def line_data(index=0, *, serial="SN-0000", value="215", reading_date=None, seal="PL0000", confirmed=False, photo=True):
    """One line of the form; the meter photo W1 requires on every line is attached unless ``photo=False``."""
    data = {
        f"lines-{index}-serial_number": serial,
        f"lines-{index}-seal_number": seal,
        f"lines-{index}-value": value,
        f"lines-{index}-reading_date": (reading_date or YESTERDAY).isoformat()
        if not isinstance(reading_date, str)
        else reading_date,
    }
    if confirmed:
        data[f"lines-{index}-confirmed"] = "on"
    if photo:
        data[f"lines-{index}-photo"] = jpeg_upload()
    return data


def form_data(*lines, key=None, total=None):
    data = {
        "lines-TOTAL_FORMS": str(total or len(lines) or 1),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "20",
        "contact_phone": "+994501234567",
        "contact_email": "citizen@example.com",
        "notes": "",
        "idempotency_key": key or uuid.uuid4().hex,
    }
    for line in lines:
        data.update(line)
    return data
