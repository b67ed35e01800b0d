"""The foundation's journey in a real browser: register → confirm the e-mail → log in → switch the
language → open a utility and see its e-services."""

import email
import re
from email import policy

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Sunny-Meadow-2026"
# Django's file e-mail backend separates messages in one file with a line of 79 dashes.
MESSAGE_SEPARATOR = "\n" + "-" * 79 + "\n"


def sent_messages(mail_dir):
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        for raw in path.read_text().split(MESSAGE_SEPARATOR):
            if raw.strip():
                messages.append(email.message_from_string(raw.lstrip(), policy=policy.default))
    return messages


def text_body(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def russian(msgid, **values):
    """The Russian text the server renders: from the compiled catalogue once it has the message,
    the English source until then."""
    with translation.override("ru"):
        return gettext(msgid) % values


def russian_catalogue_compiled():
    return (settings.BASE_DIR / "locale" / "ru" / "LC_MESSAGES" / "django.mo").exists()


def test_a_citizen_registers_confirms_logs_in_switches_to_russian_and_opens_a_utility(
    page, live_server, mail_dir, demo_tenants
):
    page.goto("/")
    page.get_by_role("link", name="Register").first.click()
    page.get_by_label("Full name").fill("Nigar Hasanova")
    page.get_by_label("E-mail").fill("nigar@example.com")
    page.get_by_label("Mobile phone").fill("+994501112233")
    page.get_by_label("Preferred language").select_option("en")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Register").click()

    expect(page.locator("h1")).to_have_text("Check your e-mail")
    (confirmation,) = sent_messages(mail_dir)
    assert confirmation["To"] == "nigar@example.com"
    confirm_url = re.search(r"https?://\S+/accounts/confirm/\S+", text_body(confirmation)).group(0)

    page.goto(confirm_url)
    expect(page.locator(".messages")).to_contain_text("Your e-mail address is confirmed")
    assert get_user_model().objects.get(email="nigar@example.com").email_confirmed

    page.get_by_label("E-mail").fill("nigar@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page.locator(".account-nav")).to_contain_text("Log out")

    page.goto("/")
    page.locator(".language-switcher button[value=ru]").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator(".language-switcher button.current")).to_have_attribute("value", "ru")
    heading = russian("Self-service portal of utility companies")
    if russian_catalogue_compiled():
        assert heading != "Self-service portal of utility companies", "the Russian catalogue lacks the home heading"
    expect(page.locator("h1")).to_have_text(heading)
    assert get_user_model().objects.get(email="nigar@example.com").preferred_language == "ru"

    # The utility's name in Russian too (its name_ru from the demo tenants).
    page.get_by_role("link", name="Азерсу", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/azersu/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("h1")).to_have_text(russian("E-services of %(name)s", name="Азерсу"))
    expect(page.locator(".card-list .card h2")).to_have_text(
        [russian("Submission of meter readings by household consumers and forming of the invoice")]
    )
