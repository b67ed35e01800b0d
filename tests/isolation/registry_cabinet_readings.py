"""Isolation cases of the cabinet's readings pages (W5 readings, upload, template, hot water, archive)."""

from tests.isolation.registry import covers, owned


def _contract_with_meter(world):
    from tests.meters.factories import MeterFactory, ReadingFactory

    meter = MeterFactory(
        account=world.contract.account, service_point=world.service_point, serial_number="ISOLATED-CAB-SN-1"
    )
    ReadingFactory(meter=meter)
    return world.contract


@covers(
    "cabinet:readings",
    "cabinet:readings_upload",
    "cabinet:hot_water",
    "cabinet:archive",
    "cabinet:archive_csv",
)
def contract_readings_pages(world):
    contract = world.cached("contract_with_meter", lambda: _contract_with_meter(world))
    return owned(world, {"contract_id": contract.pk})


@covers("cabinet:readings_template")
def contract_readings_template(world):
    contract = world.cached("contract_with_meter", lambda: _contract_with_meter(world))
    return owned(world, {"contract_id": contract.pk, "fmt": "xlsx"})
