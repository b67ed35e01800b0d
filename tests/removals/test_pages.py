"""The consumer's pages and the staff queue: what they show, and a constant number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from portal.urls_helpers import tenant_reverse
from removals import services
from removals.models import MeterRemoval, Result
from tests.portal.factories import login_verified_staff
from tests.removals.helpers import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return Cast()


def full_case(cast):
    removal = cast.removed(cast.case())
    services.record_intake(
        removal=removal, actor=cast.staff, intake_on=datetime.date(2026, 4, 2), reading=Decimal("1234.500"), seals="A-1"
    )
    services.record_verification(
        removal=removal,
        actor=cast.staff,
        result=Result.TAMPERED,
        verified_on=datetime.date(2026, 4, 3),
        certificate_number="N-1",
    )
    services.issue_acts(removal=removal, actor=cast.staff)
    services.charge_damages(removal=removal, actor=cast.staff)
    return MeterRemoval.objects.get(pk=removal.pk)


def test_case_page_shows_stages_results_acts_and_invoices(cast, client):
    removal = full_case(cast)
    client.force_login(cast.consumer)
    page = client.get(
        tenant_reverse(cast.tenant, "removals:case_detail", kwargs={"number": removal.application.number})
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Meter removed, on its way to the lab" in text and "Tampered with" in text
    assert removal.damages_invoice.number in text and removal.damages_invoice.payment_reference in text
    assert text.count("removals/cases/") >= 3  # the acts' links


def test_consumer_downloads_the_act_and_a_stranger_gets_404(cast, client, other_user):
    removal = full_case(cast)
    act = removal.acts.first()
    url = tenant_reverse(cast.tenant, "removals:act_pdf", kwargs={"number": removal.application.number, "pk": act.pk})
    client.force_login(cast.consumer)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content)[:4] == b"%PDF"
    client.force_login(other_user)
    assert client.get(url).status_code == 404


def test_case_page_and_list_keep_their_query_count_as_cases_grow(cast, client, django_assert_max_num_queries):
    first = full_case(cast)
    client.force_login(cast.consumer)
    detail = tenant_reverse(cast.tenant, "removals:case_detail", kwargs={"number": first.application.number})
    listing = tenant_reverse(cast.tenant, "removals:my_cases")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few_detail:
        client.get(detail)
    with CaptureQueriesContext(connection) as few_list:
        client.get(listing)
    for _n in range(4):
        full_case(cast)
    with django_assert_max_num_queries(len(few_detail)):
        client.get(detail)
    with django_assert_max_num_queries(len(few_list)):
        assert client.get(listing).status_code == 200


def test_staff_queue_keeps_its_query_count_and_filters_overdue(cast, client, django_assert_max_num_queries):
    login_verified_staff(client, cast.staff)
    full_case(cast)
    # Ids of cases and of their applications apart, as on a database that has served other tests:
    # the filter must follow the case to its application, not compare their ids.
    from tests.applications.factories import ApplicationFactory

    ApplicationFactory.create_batch(3, tenant=cast.tenant)
    url = reverse("admin:removals_meterremoval_changelist") + "?clock=overdue"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _n in range(4):
        cast.removed(cast.case())
    with django_assert_max_num_queries(len(few)):
        page = client.get(url)
    assert page.status_code == 200
    # The four removals past their 5-day delivery term; the damages case is within its term.
    assert page.content.decode().count("AQZ-2026-") == 4


def test_staff_record_the_intake_through_the_step_page_and_bad_input_is_shown(cast, client):
    login_verified_staff(client, cast.staff)
    removal = cast.removed(cast.case())
    url = reverse("admin:removals_meterremoval_step", args=[removal.pk, "intake"])
    page = client.post(url, {"intake_on": "2026-03-18", "reading": "1234.5", "seals": "A-1, A-2"})
    assert page.status_code == 200 and "cannot be before the removal" in page.content.decode()
    page = client.post(url, {"intake_on": "2026-04-02", "reading": "1234.5", "seals": "A-1, A-2"})
    assert page.status_code == 302
    assert MeterRemoval.objects.get(pk=removal.pk).intake_on == datetime.date(2026, 4, 2)


def test_consumer_opens_a_verification_case_seeing_the_fee_first(cast, client):
    meter = cast.meter()
    client.force_login(cast.consumer)
    url = tenant_reverse(cast.tenant, "removals:open_case")
    page = client.get(url)
    assert "7.29" in page.content.decode() or "7,29" in page.content.decode()
    form_key = "0" * 32
    response = client.post(url, {"meter": meter.pk, "what": "verification", "idempotency_key": form_key})
    assert response.status_code == 302
    client.post(url, {"meter": meter.pk, "what": "verification", "idempotency_key": form_key})
    removal = MeterRemoval.objects.get()
    assert removal.requested_by_consumer and removal.application.applicant == cast.consumer


def test_suspended_meter_is_on_the_account_page(cast, client):
    removal = cast.case()  # tampering on a field visit suspends at once
    client.force_login(cast.consumer)
    page = client.get(
        tenant_reverse(cast.tenant, "billing:account_detail", kwargs={"code": removal.application.account.code})
    )
    assert "Supply suspended" in page.content.decode()


def test_the_staff_queue_filters_by_stage_through_the_application(cast, client):
    login_verified_staff(client, cast.staff)
    cast.removed(cast.case())
    url = reverse("admin:removals_meterremoval_changelist")
    assert client.get(url + "?stage=removed").content.decode().count("AQZ-2026-") == 1
    assert client.get(url + "?stage=verified").content.decode().count("AQZ-2026-") == 0
