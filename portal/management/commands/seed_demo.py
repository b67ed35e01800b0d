"""``manage.py seed_demo``: the demo tenants, people and (as apps add them) their data.

Idempotent: every seeder keys its rows on natural keys, so a second run changes nothing and
prints the same logins. The portal core seeds first; then each app in DEMO_APPS that has a
``demo`` module with ``seed(stdout)`` seeds its own data (and may return more logins).
"""

import logging
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from portal import demo

# Bottom layer first: the cabinet seeds contracts and invoices over the tariffs billing seeded.
DEMO_APPS = ["accounts", "meters", "applications", "billing", "readings", "cabinet", "connections", "removals"]


def app_demo_modules():
    for label in DEMO_APPS:
        if not apps.is_installed(label) or find_spec(f"{label}.demo") is None:
            continue
        yield label, import_module(f"{label}.demo")


class Command(BaseCommand):
    help = "Create or update the demo tenants, staff, citizen and legal-entity user; print every login."

    def handle(self, *args, **options):
        # The invoices' PDFs render in eager tasks here: their "Task … succeeded" lines are not for
        # the person who runs the demo.
        task_log = logging.getLogger("celery.app.trace")
        previous_level = task_log.level
        task_log.setLevel(logging.WARNING)
        try:
            # In English, as README: a seeder that renders in a tenant's language must not leave
            # that language behind for the logins table ("staff, baxan əməkdaş").
            with transaction.atomic(), translation.override("en"):
                logins = list(demo.seed(self.stdout))
                for _label, module in app_demo_modules():
                    logins += list(module.seed(self.stdout) or [])
        finally:
            task_log.setLevel(previous_level)
        with translation.override("en"):
            self.print_logins(logins)

    def print_logins(self, logins):
        """The tenants and the staff's two-factor setup first, the logins table last: the end of
        the output is what a person needs to start."""
        write = self.stdout.write
        write("")
        write("Tenants: " + "  ".join(f"{settings.SITE_URL}/{slug}/" for slug in demo.BRANCHES))
        write("Staff log in at /admin/ with the e-mail, the password and a 6-digit code from an authenticator")
        write("app. Add the TOTP secret below to the app, or open one of these otpauth URLs as a QR code:")
        for login in logins:
            if login.otpauth_url:
                write(f"  {login.email}: {login.otpauth_url}")
        write("")
        write(self.style.SUCCESS(f"Demo logins (password for all: {demo.DEMO_PASSWORD})"))
        rows = [("role", "e-mail", "password", "tenant", "TOTP secret")]
        rows += [
            (login.role, login.email, login.password, login.tenant or "-", login.totp_secret or "-") for login in logins
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for index, row in enumerate(rows):
            write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
            if index == 0:
                write("  ".join("-" * width for width in widths))
