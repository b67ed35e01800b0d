"""Applications and claims: free text with attachments, staff reply in the timeline, the
organization's follow-up messages."""

import pytest

from applications.models import Application, ApplicationEvent
from portal.models import Notification
from tests.cabinet.requests_support import (
    admin_action,
    executable_upload,
    key,
    make_cabinet,
    make_reviewer,
    pdf_upload,
    png_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cab():
    return make_cabinet()


def post_claim(client, cab, files=(), idempotency_key=None):
    data = {
        "idempotency_key": idempotency_key or key(),
        "subject": "Wrong charge in October",
        "text": "The October invoice counts the meter twice.",
        "attachments": list(files),
    }
    return client.post(cab.url("claim_new"), data)


def test_a_claim_with_attachments_is_registered_with_its_files(client, cab):
    client.force_login(cab.accountant)
    response = post_claim(client, cab, files=[pdf_upload("invoice.pdf"), png_upload("meter.png")])

    application = Application.objects.get(kind__code="claim")
    assert response["Location"] == cab.url("detail", number=application.number)
    assert application.claim.subject == "Wrong charge in October"
    assert sorted(a.original_name for a in application.attachments.all()) == ["invoice.pdf", "meter.png"]

    page = client.get(response["Location"]).content.decode()
    assert "The October invoice counts the meter twice." in page
    assert "invoice.pdf" in page and "meter.png" in page


def test_an_executable_attachment_is_refused_and_nothing_is_saved(client, cab):
    client.force_login(cab.accountant)
    page = post_claim(client, cab, files=[pdf_upload(), executable_upload("invoice.pdf")])

    assert page.status_code == 200
    assert "This file is not a photo or a PDF." in page.content.decode()
    assert not Application.objects.exists()


def test_more_than_five_files_are_refused(client, cab):
    client.force_login(cab.accountant)
    page = post_claim(client, cab, files=[pdf_upload(f"page{i}.pdf") for i in range(6)])
    assert "Attach at most 5 files." in page.content.decode()
    assert not Application.objects.exists()


def test_posting_the_claim_twice_creates_one_application(client, cab):
    client.force_login(cab.accountant)
    same = key()
    post_claim(client, cab, files=[pdf_upload()], idempotency_key=same)
    post_claim(client, cab, files=[pdf_upload()], idempotency_key=same)
    assert Application.objects.count() == 1
    assert Application.objects.get().attachments.count() == 1


def test_the_staff_reply_is_shown_in_the_timeline_and_e_mailed(client, cab):
    client.force_login(cab.accountant)
    post_claim(client, cab)
    application = Application.objects.get()

    make_reviewer(client, cab.tenant)
    result = admin_action(
        client, "reply", [application], apply="1", reply="We recalculated October; see the new invoice."
    )
    assert "Reply added to 1 request." in result.content.decode()

    client.force_login(cab.owner)  # a colleague of the applicant sees it too
    page = client.get(cab.url("detail", number=application.number)).content.decode()
    assert "We recalculated October; see the new invoice." in page
    assert "Uzbekenergo" in page
    assert "Staff Reviewer" not in page  # staff names stay inside the supply company
    mail = Notification.objects.get(template="request_reply")
    assert mail.recipient == cab.accountant.email
    assert cab.url("detail", number=application.number) in mail.body


def test_the_admin_shows_the_claim_and_lets_staff_download_its_files(client, cab):
    client.force_login(cab.accountant)
    post_claim(client, cab, files=[pdf_upload("invoice.pdf")])
    application = Application.objects.get()
    attachment = application.attachments.get()

    make_reviewer(client, cab.tenant)
    page = client.get(f"/admin/cabinet/requestapplication/{application.pk}/change/").content.decode()
    assert "The October invoice counts the meter twice." in page
    download = client.get(f"/admin/cabinet/requestapplication/{application.pk}/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"


def test_a_member_adds_a_follow_up_message_to_an_open_claim(client, cab):
    client.force_login(cab.accountant)
    post_claim(client, cab)
    application = Application.objects.get()

    client.force_login(cab.owner)
    response = client.post(cab.url("detail", number=application.number), {"note": "The meter photo is attached now."})
    assert response.status_code == 302
    event = ApplicationEvent.objects.get(kind=ApplicationEvent.Kind.COMMENT)
    assert (event.actor, event.public) == (cab.owner, True)
    page = client.get(cab.url("detail", number=application.number)).content.decode()
    assert "The meter photo is attached now." in page
    assert "Dilshod Karimov" in page


def test_another_organizations_member_gets_404_for_the_claim_and_its_file(client, cab):
    client.force_login(cab.accountant)
    post_claim(client, cab, files=[pdf_upload()])
    application = Application.objects.get()

    client.force_login(cab.intruder)
    assert client.get(cab.url("detail", number=application.number)).status_code == 404
    assert client.get(cab.url("attachment", pk=application.attachments.get().pk)).status_code == 404
    assert client.get(cab.url("list")).status_code == 404


def test_staff_of_another_tenant_cannot_download_the_claims_files_in_the_admin(client, cab):
    from tests.portal.factories import StaffMembershipFactory, TenantFactory, login_verified_staff

    client.force_login(cab.accountant)
    post_claim(client, cab, files=[pdf_upload()])
    application = Application.objects.get()
    attachment = application.attachments.get()

    stranger = StaffMembershipFactory(
        tenant=TenantFactory(slug="elsewhere"), user__email="staff@elsewhere.example"
    ).user
    login_verified_staff(client, stranger)
    url = f"/admin/cabinet/requestapplication/{application.pk}/attachments/{attachment.pk}/"
    assert client.get(url).status_code == 404


def test_answering_the_staffs_question_puts_the_claim_back_into_review(client, cab):
    client.force_login(cab.accountant)
    post_claim(client, cab)
    application = Application.objects.get()
    make_reviewer(client, cab.tenant)
    admin_action(client, "start_review", [application])
    admin_action(client, "ask_for_information", [application], apply="1", reason="Which meter is counted twice?")

    client.force_login(cab.accountant)
    client.post(cab.url("detail", number=application.number), {"note": "Meter EL-5512."})

    application.refresh_from_db()
    assert application.status == "in_review"


def test_staff_close_an_answered_claim_and_the_cabinet_shows_the_confirmation(client, cab):
    client.force_login(cab.accountant)
    post_claim(client, cab)
    application = Application.objects.get()
    make_reviewer(client, cab.tenant)
    admin_action(client, "confirm_and_apply", [application])

    client.force_login(cab.accountant)
    page = client.get(cab.url("detail", number=application.number)).content.decode()
    assert "Confirmed by Uzbekenergo on" in page
    assert 'name="note"' not in page  # a closed claim takes no more messages
