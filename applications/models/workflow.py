from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications import kinds
from portal.models import Branch, TenantOwned


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    ON_SITE_CHECK = "on_site_check", _("On-site check")
    WAITING_FOR_APPLICANT = "waiting_for_applicant", _("Waiting for the applicant")
    EXECUTED = "executed", _("Executed")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The one place that says which status may follow which. Services refuse anything else.
TRANSITIONS = {
    Status.SUBMITTED: {Status.IN_REVIEW, Status.ON_SITE_CHECK, Status.EXECUTED, Status.REJECTED, Status.WITHDRAWN},
    Status.IN_REVIEW: {Status.ON_SITE_CHECK, Status.WAITING_FOR_APPLICANT, Status.EXECUTED, Status.REJECTED},
    Status.ON_SITE_CHECK: {Status.IN_REVIEW, Status.EXECUTED, Status.REJECTED},
    Status.WAITING_FOR_APPLICANT: {Status.IN_REVIEW, Status.REJECTED, Status.WITHDRAWN},
    Status.EXECUTED: set(),
    Status.REJECTED: set(),
    Status.WITHDRAWN: set(),
}
# Transitions whose event must carry a reason the applicant can read.
REASON_REQUIRED = {Status.REJECTED, Status.WAITING_FOR_APPLICANT, Status.ON_SITE_CHECK}
CLOSED = {Status.EXECUTED, Status.REJECTED, Status.WITHDRAWN}


class ApplicationKind(TenantOwned):
    """A kind of request a tenant accepts, with its legal term in working days (set in the admin).

    The codes are those the workflow apps register (applications.kinds); the engine lists none.
    """

    code = models.CharField(_("code"), max_length=32, choices=kinds.choices)
    name = models.CharField(_("name"), max_length=200)
    due_working_days = models.PositiveSmallIntegerField(_("term in working days"), default=5)
    is_active = models.BooleanField(_("accepted"), default=True)

    class Meta:
        ordering = ["tenant_id", "name"]
        verbose_name = _("application kind")
        verbose_name_plural = _("application kinds")
        constraints = [models.UniqueConstraint(fields=["tenant", "code"], name="application_kind_unique_per_tenant")]

    def __str__(self):
        return str(self.label)

    @property
    def label(self):
        """The kind's name in the reader's language: the label its workflow app registers for the
        code (translated at display); the stored name only for a code no installed app registers."""
        registered = kinds.find(self.code)
        return registered.label if registered is not None else self.name


class NumberSequence(TenantOwned):
    """The last application number issued per tenant and year.

    The row is locked (select_for_update) in the transaction that inserts the application, so
    numbers are gap-free and distinct under concurrent submissions: a rolled-back submission
    also rolls back its increment.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    last_value = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("application number sequence")
        verbose_name_plural = _("application number sequences")
        constraints = [models.UniqueConstraint(fields=["tenant", "year"], name="number_sequence_unique")]

    def __str__(self):
        return f"{self.tenant_id}/{self.year}: {self.last_value}"


class Application(TenantOwned):
    number = models.CharField(_("number"), max_length=32)
    kind = models.ForeignKey(ApplicationKind, on_delete=models.PROTECT, verbose_name=_("kind"))
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.SUBMITTED)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications", verbose_name=_("applicant")
    )
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("organization")
    )
    account = models.ForeignKey(
        "meters.SubscriberAccount",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("subscriber account"),
    )
    branch = models.ForeignKey(Branch, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("branch"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_applications",
        verbose_name=_("assigned to"),
    )
    contact_phone = models.CharField(_("phone"), max_length=16, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    language = models.CharField(_("language"), max_length=8)
    idempotency_key = models.CharField(_("idempotency key"), max_length=64)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    due_on = models.DateField(_("due on"))
    # The kind's own stage (applications.kinds.Stage code) inside the status; empty for kinds
    # without stages. Its clock is in StageClock; due_on follows the running stage's legal date.
    stage = models.CharField(_("stage"), max_length=32, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    decision_reason = models.TextField(_("reason given to the applicant"), blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "number"], name="application_number_unique"),
            # A form posted twice carries the same key: one application.
            models.UniqueConstraint(fields=["tenant", "applicant", "idempotency_key"], name="application_idempotent"),
        ]
        indexes = [
            models.Index(fields=["applicant", "-submitted_at"], name="application_applicant_recent"),
            models.Index(fields=["tenant", "status", "due_on"], name="application_queue"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_closed(self):
        return self.status in CLOSED


class ApplicationEvent(models.Model):
    """The timeline: one row per transition, assignment or comment."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Status change")
        ASSIGNMENT = "assignment", _("Assignment")
        COMMENT = "comment", _("Comment")
        STAGE = "stage", _("Stage")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="events", verbose_name=_("application")
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("made by")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.STATUS)
    from_status = models.CharField(_("from status"), max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=24, choices=Status.choices, blank=True)
    stage = models.CharField(_("stage"), max_length=32, blank=True)
    note = models.TextField(_("note"), blank=True)
    public = models.BooleanField(_("shown to the applicant"), default=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        indexes = [models.Index(fields=["application", "at"], name="event_application_time")]

    def __str__(self):
        return f"{self.application_id} {self.from_status}→{self.to_status} {self.at:%Y-%m-%d %H:%M}"
