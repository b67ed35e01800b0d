import io

import pytest

from accounts import demo as accounts_demo
from meters import demo
from meters.models import Meter, Reading, SubscriberAccount
from portal import demo as portal_demo

pytestmark = pytest.mark.django_db


def test_demo_seeds_azersu_households_with_two_years_of_readings_and_is_idempotent():
    list(portal_demo.seed(io.StringIO()))
    list(accounts_demo.seed(io.StringIO()))
    out = io.StringIO()
    demo.seed(out)
    azersu = {"tenant__slug": "azersu"}  # the cabinet contracts of other tenants are seeded too
    counts = (SubscriberAccount.objects.count(), Meter.objects.count(), Reading.objects.count())
    demo.seed(io.StringIO())
    assert (SubscriberAccount.objects.count(), Meter.objects.count(), Reading.objects.count()) == counts
    assert tuple(model.objects.filter(**azersu).count() for model in (SubscriberAccount, Meter, Reading)) == (
        5,
        7,
        7 * 24,
    )
    assert "100200301" in out.getvalue()
    account = SubscriberAccount.objects.get(code="100200301")
    assert account.users.filter(email="citizen@abonent.local").exists()
    values = list(account.meters.get().readings.order_by("reading_date").values_list("value", flat=True))
    monthly = [later - earlier for earlier, later in zip(values, values[1:], strict=False)]
    assert all(8 <= use <= 12 for use in monthly)
    assert {a.branch.code for a in SubscriberAccount.objects.filter(**azersu)} >= {"nasimi", "ganja"}
