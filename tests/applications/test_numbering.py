"""Application numbers: PREFIX-YEAR-NNNNNN, gap-free per tenant and year, one application per form post."""

import datetime

import pytest
from django.db import transaction

from applications.models import Application, ApplicationEvent, NumberSequence, Status
from tests.meters.factories import SubscriberAccountFactory
from tests.portal.factories import BranchFactory

pytestmark = pytest.mark.django_db


def test_a_number_reads_prefix_year_and_six_digits(submit, freeze_today):
    freeze_today(datetime.date(2026, 3, 2))

    application, created = submit()

    assert created
    assert application.number == "AZS-2026-000001"


def test_numbers_follow_each_other_without_gaps_per_tenant_and_year(submit, freeze_today, other_tenant, user):
    freeze_today(datetime.date(2026, 12, 31))
    first = [submit()[0].number for _ in range(3)]
    other_account = SubscriberAccountFactory(tenant=other_tenant)
    other_tenant.application_prefix = "IZH"
    other_tenant.save()
    elsewhere = submit(tenant=other_tenant, account=other_account)[0].number
    freeze_today(datetime.date(2027, 1, 1))
    next_year = submit()[0].number

    assert first == ["AZS-2026-000001", "AZS-2026-000002", "AZS-2026-000003"]
    assert elsewhere == "IZH-2026-000001"
    assert next_year == "AZS-2027-000001"


def test_a_rolled_back_submission_does_not_use_up_a_number(submit, freeze_today):
    freeze_today(datetime.date(2026, 3, 2))
    with pytest.raises(RuntimeError), transaction.atomic():
        submit()
        raise RuntimeError("the readings of this submission failed to save")

    application, _ = submit()

    assert application.number == "AZS-2026-000001"
    assert Application.objects.count() == 1


def test_the_same_form_posted_twice_creates_one_application(submit):
    first, created_first = submit(idempotency_key="form-123")
    second, created_second = submit(idempotency_key="form-123")

    assert (created_first, created_second) == (True, False)
    assert second.pk == first.pk
    assert Application.objects.count() == 1
    assert ApplicationEvent.objects.count() == 1
    assert NumberSequence.objects.get().last_value == 1


def test_the_same_key_from_another_applicant_is_another_application(submit, other_user):
    first, _ = submit(idempotency_key="form-123")
    second, created = submit(idempotency_key="form-123", applicant=other_user)

    assert created
    assert second.pk != first.pk


def test_submission_is_routed_to_the_accounts_branch_unless_a_branch_is_given(submit, account, tenant):
    routed, _ = submit()
    elsewhere = BranchFactory(tenant=tenant)
    chosen, _ = submit(branch=elsewhere)

    assert routed.branch == account.branch
    assert chosen.branch == elsewhere


def test_the_first_event_records_the_submission_by_the_applicant(submit, user):
    application, _ = submit()

    event = application.events.get()
    assert (event.to_status, event.from_status, event.actor) == (Status.SUBMITTED, "", user)
    assert application.status == Status.SUBMITTED
