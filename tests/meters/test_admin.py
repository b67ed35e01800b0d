"""The meters admin shows the staff member's tenant only."""

import pytest
from django.urls import reverse

from tests.meters.factories import SubscriberAccountFactory
from tests.portal.factories import login_verified_staff

pytestmark = pytest.mark.django_db


def test_the_account_admin_lists_meters_of_the_tenant_only(client, other_tenant, account, reviewer):
    foreign = SubscriberAccountFactory(tenant=other_tenant, code="5550001")
    login_verified_staff(client, reviewer)
    page = client.get(reverse("admin:meters_subscriberaccount_changelist")).content.decode()
    assert account.code in page and foreign.code not in page
    page = client.get(reverse("admin:meters_subscriberaccount_change", args=[account.pk])).content.decode()
    assert "SN-0000" in page
