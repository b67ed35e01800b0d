"""W1 citizen readings: what the citizen submitted per meter, and the on-site checks whose
reading prevails."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from meters.models import Meter, Reading
from portal.models import Branch, TenantOwned
from portal.storage import private_storage


class SubmittedReading(TenantOwned):
    """One line of a W1 readings application: what the citizen entered for one meter."""

    class Flag(models.TextChoices):
        # A factory number that does not match is refused by the form and never stored. A reading
        # below the last booked one is kept and sent to an on-site check (the inspector's prevails).
        BELOW_BOOKED = "below_booked", _("Reading below the last booked one: checked on site")
        SEAL_DIFFERS = "seal_differs", _("Seal number differs from the database")
        IMPLAUSIBLE_JUMP = "implausible_jump", _("Consumption far above the meter's usual")
        CONFIRMED_BY_CITIZEN = "confirmed_by_citizen", _("Citizen confirmed an unusual reading")
        # Not refused: the citizen cannot help it; staff decide and arrange the verification.
        VERIFICATION_EXPIRED = "verification_expired", _("The meter's state verification has expired")
        # A factory number no meter of the account has (a new or replaced meter, issue #9 item 5):
        # kept with no meter and checked on site, where the inspector registers the meter.
        UNLISTED_METER = "unlisted_meter", _("Meter not registered on the account")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        INSPECTED = "inspected", _("Replaced by the on-site check")
        # A newer submission for the same meter replaced this line before staff decided on it.
        SUPERSEDED = "superseded", _("Replaced by a newer reading")
        # The citizen withdrew the application before staff decided on it.
        WITHDRAWN = "withdrawn", _("Withdrawn")

    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.CASCADE,
        related_name="reading_lines",
        verbose_name=_("application"),
    )
    # None while the citizen's factory number is not registered on the account (Flag.UNLISTED_METER);
    # the on-site check registers the meter and links the line.
    meter = models.ForeignKey(
        Meter,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submitted_readings",
        verbose_name=_("meter"),
    )
    entered_serial = models.CharField(_("factory number entered"), max_length=40)
    entered_seal = models.CharField(_("seal number entered"), max_length=40, blank=True)
    value = models.DecimalField(_("reading"), max_digits=12, decimal_places=3)
    reading_date = models.DateField(_("reading date"))
    photo = models.FileField(_("photo"), storage=private_storage, upload_to="submissions/%Y/%m/", blank=True)
    # The name the citizen's file had, to show him what he sent; the file itself is stored under a
    # server-generated name.
    photo_name = models.CharField(_("photo file name"), max_length=100, blank=True)
    previous_value = models.DecimalField(_("last accepted reading"), max_digits=12, decimal_places=3, null=True)
    previous_date = models.DateField(_("date of the last accepted reading"), null=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    booked_reading = models.OneToOneField(
        Reading,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submission",
        verbose_name=_("booked reading"),
    )
    superseded_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_lines",
        verbose_name=_("replaced by"),
    )

    class Meta:
        db_table = "meters_submittedreading"  # moved from meters/; the table and its rows stay
        ordering = ["application_id", "pk"]
        verbose_name = _("submitted reading")
        verbose_name_plural = _("submitted readings")

    def __str__(self):
        return f"№{self.entered_serial}: {self.value} ({self.reading_date:%Y-%m-%d})"


class OnSiteCheck(TenantOwned):
    """A visit by the branch's inspector; his reading is booked instead of the submitted one."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.CASCADE,
        related_name="on_site_checks",
        verbose_name=_("application"),
    )
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, verbose_name=_("branch"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    due_on = models.DateField(_("due on"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("inspector"),
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    performed_on = models.DateField(_("performed on"), null=True, blank=True)
    note = models.TextField(_("inspector's note"), blank=True)

    class Meta:
        db_table = "meters_onsitecheck"  # moved from meters/; the table and its rows stay
        verbose_name = _("on-site check")
        verbose_name_plural = _("on-site checks")

    def __str__(self):
        return f"{self.application.number} — {self.get_status_display()} ({self.due_on:%Y-%m-%d})"


class InspectedReading(models.Model):
    """The reading the inspector found for one meter of the application."""

    check_visit = models.ForeignKey(
        OnSiteCheck, on_delete=models.CASCADE, related_name="readings", verbose_name=_("on-site check")
    )
    meter = models.ForeignKey(Meter, on_delete=models.PROTECT, verbose_name=_("meter"))
    value = models.DecimalField(_("reading"), max_digits=12, decimal_places=3)
    seal_number = models.CharField(_("seal number found"), max_length=40, blank=True)

    class Meta:
        db_table = "meters_inspectedreading"  # moved from meters/; the table and its rows stay
        verbose_name = _("inspected reading")
        verbose_name_plural = _("inspected readings")
        constraints = [models.UniqueConstraint(fields=["check_visit", "meter"], name="inspected_reading_unique")]

    def __str__(self):
        return f"{self.meter_id}: {self.value}"


class ReadingsApplication(Application):
    """W1 applications as staff review them: the admin shows each line against the database."""

    class Meta:
        proxy = True
        verbose_name = _("readings application")
        verbose_name_plural = _("readings applications")


class SubscriberCodeLookup(TenantOwned):
    """A lookup at the W1 subscriber-code step that staff may want to see: a code nobody holds,
    another's account, or a lookup refused by the throttle. A user's own accounts are not logged."""

    class Outcome(models.TextChoices):
        UNKNOWN = "unknown", _("No such account")
        NOT_HELD = "not_held", _("Account of someone else")
        REFUSED = "refused", _("Refused: too many codes")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("user")
    )
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    code = models.CharField(_("code typed"), max_length=40)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("subscriber code lookup")
        verbose_name_plural = _("subscriber code lookups")

    def __str__(self):
        return f"{self.code} ({self.get_outcome_display()})"


class PhotoDraft(TenantOwned):
    """A meter photo already checked and re-encoded while its readings form is still being filled.

    Browsers never send a chosen file back, so a page shown again (an error, "add another meter")
    would otherwise ask a citizen on his phone to take every photo again. Tied to the form by its
    idempotency key; on submission the file becomes the line's photo, and drafts left behind are
    removed after ``readings.services.drafts.DRAFT_HOURS``.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    form_key = models.CharField(_("form key"), max_length=32)
    line_index = models.PositiveSmallIntegerField(_("line"))
    file = models.FileField(_("file"), storage=private_storage, upload_to="drafts/%Y/%m/")
    original_name = models.CharField(_("original name"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("photo draft")
        verbose_name_plural = _("photo drafts")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "user", "form_key", "line_index"], name="photo_draft_per_line")
        ]

    def __str__(self):
        return f"{self.form_key}/{self.line_index}: {self.original_name}"

    @property
    def is_pdf(self):
        return self.file.name.lower().endswith(".pdf")
