"""The applicant answers the utility's question on his application page: the answer (and a
document) goes on the timeline, the application returns to review and the stage clock goes on,
later by the working days spent waiting."""

import datetime
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import clocks, kinds, services
from applications.models import Application, ApplicationEvent, Attachment, StageClock, Status
from tests.accounts.factories import UserFactory
from tests.portal.factories import jpeg_bytes

KIND = "answered_request"


@pytest.fixture
def staged_kind():
    kind = kinds.register(
        kinds.Kind(
            code=KIND, label="Answered request", default_term=5, stages=(kinds.Stage("review", "Review", term=5),)
        )
    )
    yield kind
    kinds.unregister(KIND)


@pytest.fixture
def waiting(tenant, staged_kind, freeze_today):
    freeze_today(datetime.date(2026, 5, 25))
    application, _created = services.open_application(
        tenant=tenant, kind_code=KIND, applicant=UserFactory(), idempotency_key=uuid.uuid4().hex, language="en"
    )
    services.transition(application=application, to_status=Status.IN_REVIEW, actor=None)
    clocks.enter_stage(application=application, stage="review", actor=None)
    freeze_today(datetime.date(2026, 5, 26))
    services.transition(
        application=application, to_status=Status.WAITING_FOR_APPLICANT, actor=None, note="Send the site plan."
    )
    return application


def page(application):
    return f"/{application.tenant.slug}/applications/{application.number}/"


def test_the_page_asks_the_question_and_offers_the_answer_form(client, waiting):
    client.force_login(waiting.applicant)
    html = client.get(page(waiting)).content.decode()
    assert "Send the site plan." in html
    assert 'name="answer"' in html and 'enctype="multipart/form-data"' in html


def test_an_answer_with_a_document_puts_the_application_back_in_review(client, waiting, freeze_today):
    client.force_login(waiting.applicant)
    freeze_today(datetime.date(2026, 6, 2))
    photo = SimpleUploadedFile("plan.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = client.post(page(waiting) + "answer/", {"answer": "The plan is attached.", "document": photo})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.IN_REVIEW
    comment = waiting.events.get(kind=ApplicationEvent.Kind.COMMENT)
    assert comment.note == "The plan is attached." and comment.public and comment.actor == waiting.applicant
    attachment = Attachment.objects.get(application=waiting)
    assert attachment.original_name == "plan.jpg" and attachment.file.name != "plan.jpg"
    # 1 and 2 June spent waiting: the legal date moves by two working days.
    clock = StageClock.objects.get(application=waiting)
    assert clock.paused_since is None and clock.paused_working_days == 2


def test_a_second_post_of_the_same_answer_changes_nothing(client, waiting):
    client.force_login(waiting.applicant)
    client.post(page(waiting) + "answer/", {"answer": "The plan is attached."})
    again = client.post(page(waiting) + "answer/", {"answer": "The plan is attached."}, follow=True)
    assert "This application is not waiting for an answer." in again.content.decode()
    assert waiting.events.filter(kind=ApplicationEvent.Kind.COMMENT).count() == 1


def test_bad_answers_are_refused_with_a_message_and_change_nothing(client, waiting):
    client.force_login(waiting.applicant)
    fake = SimpleUploadedFile("plan.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg")
    for data in ({"answer": ""}, {"answer": "see http://evil.example"}, {"answer": "ok", "document": fake}):
        response = client.post(page(waiting) + "answer/", data)
        assert response.status_code == 200
        assert 'class="error-summary"' in response.content.decode()
    assert Application.objects.get(pk=waiting.pk).status == Status.WAITING_FOR_APPLICANT
    assert not Attachment.objects.exists()


def test_nobody_else_may_answer(client, waiting):
    client.force_login(UserFactory())
    assert client.post(page(waiting) + "answer/", {"answer": "Mine now"}).status_code == 404
    with pytest.raises(Exception):
        services.answer(application=waiting, actor=UserFactory(), note="x")
