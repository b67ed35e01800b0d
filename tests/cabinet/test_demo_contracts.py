"""Demo contracts of the cabinets: Izhvodokanal's two (deadline days 8 and 6, one left to link)
with cold- and hot-water meters and 18 months of readings, Uzbekenergo's with electricity meters."""

import io

import pytest

from accounts import demo as accounts_demo
from cabinet import demo as demo_contracts
from meters.models import Contract, Meter, Reading
from portal import demo as portal_demo

pytestmark = pytest.mark.django_db


def test_the_demo_contracts_are_seeded_once_with_their_meters_and_history():
    list(portal_demo.seed(io.StringIO()))
    list(accounts_demo.seed(io.StringIO()))
    out = io.StringIO()
    demo_contracts.seed(out)
    counts = (Contract.objects.count(), Meter.objects.count(), Reading.objects.count())
    demo_contracts.seed(io.StringIO())
    assert (Contract.objects.count(), Meter.objects.count(), Reading.objects.count()) == counts

    izh = Contract.objects.filter(tenant__slug="izhvodokanal").order_by("number")
    # ИВК-0815/2024's deadline day is chosen so that its window is open on the day of the seeding.
    open_today = demo_contracts.deadline_day_open_on(izh[0].tenant, izh[0].tenant.today()) or 8
    assert [(c.readings_deadline_day, c.organization is not None) for c in izh] == [(6, False), (open_today, True)]
    assert {c.tax_number for c in izh} == {"1831098766"}
    assert "ИВК-0622/2025 NOT linked — link it in the cabinet with tax number 1831098766" in out.getvalue()
    kinds = set(Meter.objects.filter(service_point__contract__in=izh).values_list("kind", flat=True))
    assert kinds == {Meter.Kind.COLD_WATER, Meter.Kind.HOT_WATER}
    assert Reading.objects.filter(meter__serial_number="ХВ-2208154").count() == 18

    uz = Contract.objects.get(tenant__slug="uzbekenergo")
    assert uz.organization is not None
    assert set(Meter.objects.filter(service_point__contract=uz).values_list("kind", flat=True)) == {"electricity"}
