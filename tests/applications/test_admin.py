"""Staff review in the admin: scoped to tenant and branches, queues, and status changes by actions."""

import datetime

import pytest
from django.contrib.admin import helpers
from django.contrib.auth.models import Permission
from django.utils import timezone

from applications.models import ApplicationEvent, Status
from portal.models import Notification
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory, ApplicationKindFactory
from tests.meters.factories import SubscriberAccountFactory
from tests.portal.factories import BranchFactory, StaffMembershipFactory, login_verified_staff

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/applications/application/"


def make_staff(tenant, branches=(), email="reviewer@azersu.example"):
    user = UserFactory(email=email, full_name="Elnur Huseynov", is_staff=True, preferred_language="en")
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="applications",
            codename__in=["view_application", "change_application", "view_applicationkind", "change_applicationkind"],
        )
    )
    membership = StaffMembershipFactory(tenant=tenant, user=user)
    membership.branches.set(branches)
    return user


@pytest.fixture
def submit(submit, plain_kind):
    """Applications of a kind without a review of its own: the generic admin decides those itself."""

    def submit_plain(**overrides):
        return submit(**{"kind_code": plain_kind.code, **overrides})

    return submit_plain


@pytest.fixture
def staff(tenant):
    return make_staff(tenant)


@pytest.fixture
def reviewer(client, staff):
    return login_verified_staff(client, staff)


def changelist(client, **params):
    page = client.get(CHANGELIST, params)
    assert page.status_code == 200
    return page.content.decode()


def act(client, action, applications, **extra):
    data = {"action": action, helpers.ACTION_CHECKBOX_NAME: [a.pk for a in applications], **extra}
    return client.post(CHANGELIST, data, follow=True)


def test_staff_see_their_tenants_applications_only(reviewer, submit, other_tenant):
    mine, _ = submit()
    elsewhere = ApplicationFactory(tenant=other_tenant, number="IZH-2026-000001")

    text = changelist(reviewer)

    assert mine.number in text
    assert elsewhere.number not in text
    assert reviewer.get(f"{CHANGELIST}{elsewhere.pk}/change/").status_code == 302


def test_staff_of_one_branch_do_not_see_another_branchs_applications(client, tenant, submit, branch):
    other_branch = BranchFactory(tenant=tenant, name="Sumgayit branch")
    ours, _ = submit()  # routed to the account's branch
    theirs, _ = submit(account=SubscriberAccountFactory(tenant=tenant, branch=other_branch))
    login_verified_staff(client, make_staff(tenant, branches=[branch]))

    text = changelist(client)

    assert ours.number in text
    assert theirs.number not in text
    assert "Sumgayit branch" not in text  # not even as a filter choice
    assert client.get(f"{CHANGELIST}{theirs.pk}/change/").status_code == 302
    assert client.get(f"{CHANGELIST}{ours.pk}/change/").status_code == 200


def test_the_overdue_filter_lists_open_applications_past_their_due_date(reviewer, tenant):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    late = ApplicationFactory(tenant=tenant, number="AZS-2026-000001", due_on=yesterday)
    ApplicationFactory(tenant=tenant, number="AZS-2026-000002", due_on=yesterday, status=Status.EXECUTED)
    ApplicationFactory(tenant=tenant, number="AZS-2026-000003", due_on=timezone.localdate())

    text = changelist(reviewer, overdue="yes")

    assert late.number in text
    assert "AZS-2026-000002" not in text
    assert "AZS-2026-000003" not in text


def test_assign_to_me_then_filter_my_queue(reviewer, staff, submit):
    mine, _ = submit()
    other, _ = submit()

    page = act(reviewer, "assign_to_me", [mine])

    mine.refresh_from_db()
    assert mine.assigned_to == staff
    assert "1 application assigned to you." in page.content.decode()
    assert mine.events.filter(kind=ApplicationEvent.Kind.ASSIGNMENT, actor=staff).exists()
    text = changelist(reviewer, assigned="me")
    assert mine.number in text
    assert other.number not in text


def test_start_review_moves_the_selected_applications_and_reports_refusals(reviewer, staff, submit):
    waiting, _ = submit()
    closed, _ = submit()
    closed.status = Status.EXECUTED
    closed.save()

    text = act(reviewer, "start_review", [waiting, closed]).content.decode()

    waiting.refresh_from_db()
    closed.refresh_from_db()
    assert waiting.status == Status.IN_REVIEW
    assert waiting.events.last().actor == staff
    assert closed.status == Status.EXECUTED
    assert f"{closed.number}: An application cannot go from “Executed” to “In review”." in text


def test_reject_asks_for_a_reason_on_an_intermediate_page(reviewer, submit):
    application, _ = submit()

    page = act(reviewer, "reject", [application])

    text = page.content.decode()
    assert 'name="reason"' in text
    assert application.number in text
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_reject_without_a_reason_is_refused_and_changes_nothing(reviewer, submit):
    application, _ = submit()

    page = act(reviewer, "reject", [application], reason="  ", apply="Reject")

    assert "This field is required." in page.content.decode()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert not Notification.objects.exists()


def test_reject_with_a_reason_closes_the_application_and_tells_the_applicant(reviewer, submit):
    application, _ = submit()

    page = act(reviewer, "reject", [application], reason="The photo shows another meter.", apply="Reject")

    application.refresh_from_db()
    assert application.status == Status.REJECTED
    assert application.decision_reason == "The photo shows another meter."
    assert "1 application is now “Rejected”." in page.content.decode()
    assert "The photo shows another meter." in Notification.objects.get(channel="email").body


def test_ask_for_more_information_needs_the_review_started(reviewer, submit):
    application, _ = submit()
    act(reviewer, "start_review", [application])

    act(reviewer, "ask_for_information", [application], reason="Send the seal number.", apply="Ask")

    application.refresh_from_db()
    assert application.status == Status.WAITING_FOR_APPLICANT
    assert application.decision_reason == "Send the seal number."


def test_the_change_page_shows_the_timeline_and_offers_no_status_field(reviewer, submit):
    application, _ = submit()

    text = reviewer.get(f"{CHANGELIST}{application.pk}/change/").content.decode()

    assert 'name="status"' not in text
    assert "Submitted" in text
    assert 'name="events-TOTAL_FORMS"' in text  # the read-only timeline inline
    assert "Timeline" in text


def test_posting_a_status_to_the_change_form_does_not_change_it(reviewer, submit):
    application, _ = submit()

    reviewer.post(f"{CHANGELIST}{application.pk}/change/", {"status": Status.EXECUTED})

    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_staff_set_the_term_of_their_tenants_kinds_only(reviewer, tenant, other_tenant):
    ours = ApplicationKindFactory(tenant=tenant, code="claim", name="Claims")
    ApplicationKindFactory(tenant=other_tenant, code="claim", name="Претензии")

    text = reviewer.get("/admin/applications/applicationkind/").content.decode()

    assert "Claims" in text
    assert "Претензии" not in text
    assert reviewer.get(f"/admin/applications/applicationkind/{ours.pk}/change/").status_code == 200


def test_staff_find_an_application_by_the_applicants_email_or_the_subscriber_code(
    reviewer, submit, other_user, account
):
    mine, _ = submit()
    theirs, _ = submit(applicant=other_user, account=SubscriberAccountFactory(tenant=account.tenant))

    by_email = changelist(reviewer, q="citizen@example.com")
    by_code = changelist(reviewer, q=account.code)

    assert mine.number in by_email and theirs.number not in by_email
    assert mine.number in by_code and theirs.number not in by_code


def test_a_kind_with_its_own_review_is_not_decided_here_and_staff_are_told_where(reviewer, submit):
    request, _ = submit(kind_code="claim")
    plain, _ = submit()

    page = act(reviewer, "reject", [request, plain], reason="Not ours.", apply="Reject")

    request.refresh_from_db()
    plain.refresh_from_db()
    assert request.status == Status.SUBMITTED
    assert plain.status == Status.REJECTED
    text = page.content.decode()
    assert (
        f"{request.number}: Applications of this kind are decided under “Legal-entity requests”; "
        "nothing was changed here."
    ) in text
    assert "1 application is now “Rejected”." in text


def test_assigning_works_for_every_kind(reviewer, staff, submit):
    request, _ = submit(kind_code="claim")

    act(reviewer, "assign_to_me", [request])

    request.refresh_from_db()
    assert request.assigned_to == staff
