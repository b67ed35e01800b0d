"""§2.3 attendance (the date and place sent before the stage, attended recorded) and the tenant's
own act wording."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.models import Notification
from removals import services
from removals.acts import draw_up_act
from removals.kinds import StageCode
from removals.models import Act, ActTemplate
from tests.removals.helpers import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return Cast()


def test_a_consumer_who_asked_to_attend_gets_the_date_and_place_by_sms_and_email(cast):
    removal = cast.case()
    services.request_attendance(removal=removal, user=cast.consumer)
    when = timezone.now() + datetime.timedelta(days=2)
    appointment = services.plan_appointment(
        removal=removal, stage=StageCode.AT_LAB, planned_at=when, place="Lab, Yusif Safarov 23", actor=cast.staff
    )
    sent = Notification.objects.filter(template="removal_appointment")
    assert set(sent.values_list("channel", flat=True)) == {"email", "sms"}
    assert all("Yusif Safarov 23" in body for body in sent.values_list("body", flat=True))
    services.record_attendance(appointment=appointment, attended=True)
    appointment.refresh_from_db()
    assert appointment.attended is True


def test_no_notice_without_the_request_and_no_appointment_in_the_past(cast):
    removal = cast.case()
    services.plan_appointment(
        removal=removal,
        stage=StageCode.REMOVED,
        planned_at=timezone.now() + datetime.timedelta(hours=3),
        place="At the flat",
        actor=cast.staff,
    )
    assert not Notification.objects.filter(template="removal_appointment").exists()
    with pytest.raises(ValidationError):
        services.plan_appointment(
            removal=removal,
            stage=StageCode.AT_LAB,
            planned_at=timezone.now() - datetime.timedelta(hours=1),
            place="Lab",
            actor=cast.staff,
        )


def test_the_tenants_own_wording_is_used_for_its_language(cast):
    ActTemplate.objects.create(
        tenant=cast.tenant,
        kind=Act.Kind.REMOVAL,
        language="en",
        title="Our removal act",
        body="Case $number, bag $bag, {ignored.__class__} $unknown",
    )
    removal = cast.removed(cast.case())
    act = removal.acts.get(kind=Act.Kind.REMOVAL)
    assert act.title == "Our removal act"
    assert act.body.startswith(f"Case {removal.application.number}, bag BAG-77")
    assert "$unknown" in act.body  # an unknown name is left as written, never evaluated
    assert draw_up_act(removal=removal, kind=Act.Kind.REMOVAL, actor=cast.staff).pk == act.pk
