"""W3 meter cases: the case pages and its act belong to the holder of the case's account."""

from tests.isolation.registry import covers, owned


def _case(world):
    def build():
        import uuid
        from decimal import Decimal

        from django.utils import timezone

        from meters.models import Meter
        from removals import services
        from removals.models import Channel, Reason

        meter = Meter.objects.filter(pk=world.meter.pk).first()
        meter.kind = Meter.Kind.GAS
        meter.save(update_fields=["kind"])
        removal, _created = services.open_case(
            account=world.account,
            meter=meter,
            reason=Reason.PERIODIC,
            channel=Channel.FIELD_VISIT,
            actor=world.owner,
            idempotency_key=uuid.uuid4().hex,
        )
        return services.record_removal(
            removal=removal,
            actor=world.owner,
            removed_at=timezone.now(),
            reading=Decimal("12.000"),
            seals="ISO-1",
            consumer_present=True,
            bag_number="ISO-BAG",
        )

    return world.cached("removal_case", build)


@covers("removals:case_detail")
def case_detail(world):
    return owned(world, {"number": _case(world).application.number})


@covers("removals:case_attend")
def case_attend(world):
    cases = owned(world, {"number": _case(world).application.number})
    cases.method = "post"
    return cases


@covers("removals:act_pdf")
def act_pdf(world):
    removal = _case(world)
    return owned(world, {"number": removal.application.number, "pk": removal.acts.get().pk})
