"""A reading is never edited: a correction supersedes it with a new row and keeps the history."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meters.models import Reading
from meters.services import correct_reading
from tests.portal.factories import login_verified_staff

pytestmark = pytest.mark.django_db


def test_a_correction_supersedes_the_reading_and_keeps_the_history(tenant, account, reviewer):
    reading = Reading.objects.filter(meter__account=account).order_by("-reading_date").first()
    corrected = correct_reading(
        reading=reading, actor=reviewer, value=Decimal("199"), reading_date=reading.reading_date
    )
    reading.refresh_from_db()
    assert reading.status == Reading.Status.SUPERSEDED and reading.value == Decimal("200")
    assert corrected.supersedes == reading and corrected.status == Reading.Status.ACCEPTED
    with pytest.raises(ValidationError):
        correct_reading(reading=reading, actor=reviewer, value=Decimal("1"), reading_date=reading.reading_date)


def test_a_reading_is_corrected_by_a_superseding_row(client, account, reviewer):
    login_verified_staff(client, reviewer)
    reading = Reading.objects.filter(meter__account=account).order_by("-reading_date").first()
    client.post(
        reverse("admin:meters_reading_changelist"),
        {
            "action": "correct",
            "_selected_action": [reading.pk],
            "apply": "1",
            "value": "199.5",
            "reading_date": reading.reading_date.isoformat(),
        },
    )
    reading.refresh_from_db()
    assert reading.status == Reading.Status.SUPERSEDED
    assert reading.superseded_by.value == Decimal("199.5")
