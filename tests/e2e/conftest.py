"""Browser tests: Playwright (sync API) driving Debian's chromium against pytest-django's live server.

Without /usr/bin/chromium the tests are skipped with the reason; under CI=true that is a failure,
because CI must run them.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio event loop in the test thread; Django then refuses ORM
# calls from that thread unless told that this is deliberate.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def running_in_ci():
    return os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run browser tests"
        if running_in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def eager_celery():
    """Run tasks in the live server's thread even when a broker is configured (CI), so that
    e-mails reach this test's file backend instead of a worker with other settings."""
    from portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


# What Chromium writes to the console when the Content-Security-Policy blocks something
# ("Refused to apply inline style because it violates the following Content Security Policy
# directive: …", "Refused to execute inline script …", "Refused to load the image …").
CSP_VIOLATION = ("Content Security Policy", "Refused to")


def watch_for_csp_violations(context):
    """Collect the CSP violations of every page of ``context``: check the list before closing it
    (assert_no_csp_violations)."""
    violations = []

    def on_console(message):
        if any(marker in message.text for marker in CSP_VIOLATION):
            violations.append(f"{message.page.url if message.page else '?'}: {message.text}")

    context.on("console", on_console)
    return violations


def assert_no_csp_violations(violations):
    assert not violations, "the Content-Security-Policy blocked:\n" + "\n".join(violations)


@pytest.fixture
def page(browser, live_server, eager_celery):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    violations = watch_for_csp_violations(context)
    page = context.new_page()
    yield page
    context.close()
    assert_no_csp_violations(violations)


@pytest.fixture
def mail_dir(settings, tmp_path):
    """E-mails are written one file per message into a fresh directory the test reads."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    return tmp_path / "mail"


@pytest.fixture
def demo_tenants(transactional_db):
    from portal.demo import seed_branches, seed_tenants

    tenants = seed_tenants()
    seed_branches(tenants)
    return tenants
