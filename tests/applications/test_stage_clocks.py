"""The engine's stage clocks (applications.clocks) on the Azerbaijani calendar of 2026: Novruz and
Ramadan Bayram close 20–30 March, Gurban Bayram 27–29 May."""

import datetime
import uuid

import pytest

from applications import clocks, kinds, services
from applications.admin_filters import ClockFilter
from applications.models import ApplicationEvent, StageClock, Status
from tests.accounts.factories import UserFactory

STAGED_KIND = "staged_request"


@pytest.fixture
def staged_kind():
    kind = kinds.register(
        kinds.Kind(
            code=STAGED_KIND,
            label="Staged request",
            default_term=5,
            stages=(
                kinds.Stage("registered", "Registered"),
                kinds.Stage("review", "Review", term=3, counts_from="from registration"),
                # A term that depends on the application, as W2's does on the applicant kind.
                kinds.Stage("work", "Work", term=lambda application: 5 if application.notes == "urgent" else 10),
                kinds.Stage("done", "Done"),
            ),
        )
    )
    yield kind
    kinds.unregister(STAGED_KIND)


@pytest.fixture
def application(tenant, staged_kind):
    applicant = UserFactory()
    application, _created = services.open_application(
        tenant=tenant,
        kind_code=STAGED_KIND,
        applicant=applicant,
        idempotency_key=uuid.uuid4().hex,
        language="az",
    )
    return application


def test_a_term_counts_working_days_over_novruz(application, freeze_today):
    freeze_today(datetime.date(2026, 3, 19))
    clock = clocks.enter_stage(application=application, stage="review", actor=None)
    # Thursday 19 March + 3 working days: 20–30 March are holidays and their observed days.
    assert clock.due_on == datetime.date(2026, 4, 2)
    application.refresh_from_db()
    assert application.stage == "review"
    assert application.due_on == datetime.date(2026, 4, 2)


def test_the_next_stage_finishes_the_previous_one_and_starts_from_its_event(application, freeze_today):
    freeze_today(datetime.date(2026, 3, 19))
    clocks.enter_stage(application=application, stage="review", actor=None)
    # The work counts from an event of its own (W2: the payment), given as ``start``.
    clock = clocks.enter_stage(application=application, stage="work", actor=None, start=datetime.date(2026, 5, 26))
    review = StageClock.objects.get(application=application, stage="review")
    assert review.finished_on == datetime.date(2026, 5, 26)
    assert review.is_late(datetime.date(2026, 5, 26))
    # Tuesday 26 May + 10 working days, Gurban Bayram (27–29 May) not counted.
    assert clock.due_on == datetime.date(2026, 6, 12)


def test_a_term_may_depend_on_the_application(application, freeze_today):
    freeze_today(datetime.date(2026, 6, 1))
    application.notes = "urgent"
    application.save(update_fields=["notes"])
    clock = clocks.enter_stage(application=application, stage="work", actor=None)
    assert clock.term_days == 5
    assert clock.due_on == datetime.date(2026, 6, 8)


def test_entering_the_same_stage_twice_changes_nothing(application, freeze_today):
    freeze_today(datetime.date(2026, 6, 1))
    first = clocks.enter_stage(application=application, stage="review", actor=None)
    freeze_today(datetime.date(2026, 6, 10))
    again = clocks.enter_stage(application=application, stage="review", actor=None)
    assert again.pk == first.pk
    assert again.due_on == first.due_on
    assert application.events.filter(kind=ApplicationEvent.Kind.STAGE).count() == 1


def test_an_unknown_stage_is_refused(application):
    with pytest.raises(kinds.UnknownStage):
        clocks.enter_stage(application=application, stage="nonsense", actor=None)


def test_waiting_for_the_applicant_pauses_the_clock_and_resuming_moves_the_date(application, freeze_today):
    freeze_today(datetime.date(2026, 5, 25))
    services.transition(application=application, to_status=Status.IN_REVIEW, actor=None)
    clock = clocks.enter_stage(application=application, stage="work", actor=None)
    assert clock.due_on == datetime.date(2026, 6, 11)  # 26 May, 1–5 June, 8–11 June
    freeze_today(datetime.date(2026, 5, 26))
    services.transition(
        application=application, to_status=Status.WAITING_FOR_APPLICANT, actor=None, note="Send the plan"
    )
    clock.refresh_from_db()
    assert clock.paused_since == datetime.date(2026, 5, 26)
    # A paused clock is never late, however long the applicant takes.
    assert not clock.is_late(datetime.date(2026, 7, 1))
    freeze_today(datetime.date(2026, 6, 2))
    services.transition(application=application, to_status=Status.IN_REVIEW, actor=None)
    clock.refresh_from_db()
    application.refresh_from_db()
    # 1 and 2 June were spent waiting (27–29 May are holidays): the date moves by 2 working days,
    # over National Liberation Day (Monday 15 June).
    assert clock.paused_working_days == 2
    assert clock.due_on == datetime.date(2026, 6, 16)
    assert application.due_on == datetime.date(2026, 6, 16)


def test_closing_the_application_stops_the_clock(application, freeze_today):
    freeze_today(datetime.date(2026, 6, 1))
    clocks.enter_stage(application=application, stage="review", actor=None)
    freeze_today(datetime.date(2026, 6, 3))
    services.transition(application=application, to_status=Status.REJECTED, actor=None, note="Not our network")
    clock = StageClock.objects.get(application=application, stage="review")
    assert clock.finished_on == datetime.date(2026, 6, 3)


def test_the_timeline_lists_every_stage_with_its_legal_date(application, freeze_today):
    freeze_today(datetime.date(2026, 3, 19))
    clocks.enter_stage(application=application, stage="registered", actor=None)
    clocks.enter_stage(application=application, stage="review", actor=None)
    rows = clocks.timeline(application)
    assert [row.code for row in rows] == ["registered", "review", "work", "done"]
    assert [row.state for row in rows] == ["done", "current", "upcoming", "upcoming"]
    assert rows[1].due_on == datetime.date(2026, 4, 2)
    assert rows[2].term_days == 10 and rows[2].due_on is None
    freeze_today(datetime.date(2026, 4, 3))
    assert clocks.timeline(application)[1].late


def test_the_overdue_and_due_today_filters(application, freeze_today, rf):
    freeze_today(datetime.date(2026, 3, 19))
    clocks.enter_stage(application=application, stage="review", actor=None)
    from applications.models import Application

    queryset = Application.objects.filter(pk=application.pk)
    assert not queryset.filter(clocks.overdue_filter(datetime.date(2026, 4, 2))).exists()
    assert queryset.filter(clocks.due_today_filter(datetime.date(2026, 4, 2))).exists()
    assert queryset.filter(clocks.overdue_filter(datetime.date(2026, 4, 3))).exists()
    # The admin's filter counts with each tenant's own today (frozen here, as Tenant.today is).
    request = rf.get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    freeze_today(datetime.date(2026, 4, 3))
    overdue = ClockFilter(request, {"clock": ["overdue"]}, Application, None)
    assert list(overdue.queryset(request, Application.objects.all())) == [application]
    freeze_today(datetime.date(2026, 4, 2))
    due_today = ClockFilter(request, {"clock": ["due_today"]}, Application, None)
    assert list(due_today.queryset(request, Application.objects.all())) == [application]
    assert not overdue.queryset(request, Application.objects.all()).exists()


def test_the_applicant_sees_the_stages_on_his_application_page(application, client, freeze_today):
    freeze_today(datetime.date(2026, 3, 19))
    clocks.enter_stage(application=application, stage="review", actor=None)
    client.force_login(application.applicant)
    response = client.get(f"/{application.tenant.slug}/applications/{application.number}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Review" in page and "Work" in page
    assert 'datetime="2026-04-02"' in page
