"""Shared set-up for the readings tests: an Azersu account with a cold-water meter and history."""

import datetime
import io
import uuid
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.w1_factories import MeterFactory, ReadingFactory, SubscriberAccountFactory

TODAY = datetime.date.today()  # Asia/Baku is ahead of UTC; tests keep a day of margin
LAST_DATE = TODAY - datetime.timedelta(days=30)
YESTERDAY = TODAY - datetime.timedelta(days=1)


def account_with_history(tenant, branch, *, meters=1, code="1234567", readings=12):
    """An account whose meters were read every 30 days for a year (10 m³ each time), the last
    reading 200 m³ thirty days ago: usual use 1/3 m³ a day, expected range today 200 – 230."""
    account = SubscriberAccountFactory(tenant=tenant, branch=branch, code=code)
    for index in range(meters):
        meter = MeterFactory(account=account, serial_number=f"SN-{index:04d}", seal_number=f"PL{index:04d}")
        for step in range(readings):
            ReadingFactory(
                meter=meter,
                value=Decimal("200") - 10 * step,
                reading_date=LAST_DATE - datetime.timedelta(days=30 * step),
            )
    return account


def jpeg_bytes(size=(64, 48), exif=None):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (120, 160, 200))
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, "JPEG", **kwargs)
    return buffer.getvalue()


def jpeg_upload(name="meter.jpg", **kwargs):
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def line_data(index=0, *, serial="SN-0000", value="215", reading_date=None, seal="PL0000", confirmed=False):
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
