from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from portal.models import Branch, TenantOwned


def private_storage():
    from django.core.files.storage import storages

    return storages["private"]


class SubscriberAccount(TenantOwned):
    class Category(models.TextChoices):
        HOUSEHOLD = "household", _("Household")
        LEGAL_ENTITY = "legal_entity", _("Legal entity")

    code = models.CharField(_("subscriber code"), max_length=32)
    holder_name = models.CharField(_("holder name"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, verbose_name=_("branch"))
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, default=Category.HOUSEHOLD)
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("organization")
    )
    # Citizens who may open this account's page: granted when staff accept one of their
    # applications for it (or by staff in the admin), never by merely knowing the code.
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="subscriber_accounts", verbose_name=_("users with access")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tenant", "code"]
        verbose_name = _("subscriber account")
        verbose_name_plural = _("subscriber accounts")
        constraints = [models.UniqueConstraint(fields=["tenant", "code"], name="account_code_unique_per_tenant")]

    def __str__(self):
        return f"{self.code} — {self.holder_name}"


class Meter(TenantOwned):
    class Kind(models.TextChoices):
        COLD_WATER = "cold_water", _("Cold water")
        HOT_WATER = "hot_water", _("Hot water")
        ELECTRICITY = "electricity", _("Electricity")
        GAS = "gas", _("Gas")

    class Status(models.TextChoices):
        ACTIVE = "active", _("In service")
        REMOVED = "removed", _("Removed")
        REPLACED = "replaced", _("Replaced")

    account = models.ForeignKey(SubscriberAccount, on_delete=models.PROTECT, related_name="meters")
    serial_number = models.CharField(_("factory number"), max_length=40)
    seal_number = models.CharField(_("seal number"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    model = models.CharField(_("model"), max_length=100, blank=True)
    integer_digits = models.PositiveSmallIntegerField(_("integer digits"), default=5)
    installed_on = models.DateField(_("installed on"))
    initial_reading = models.DecimalField(_("reading at installation"), max_digits=12, decimal_places=3, default=0)
    verification_due_on = models.DateField(_("next state verification"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        verbose_name=_("replaces meter"),
    )

    class Meta:
        ordering = ["account", "serial_number"]
        verbose_name = _("meter")
        verbose_name_plural = _("meters")
        constraints = [
            models.UniqueConstraint(fields=["account", "serial_number"], name="meter_serial_unique_per_account")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} №{self.serial_number}"


class Reading(TenantOwned):
    """A booked or submitted meter reading. Append-only: a correction is a new row that
    supersedes the old one, so the history stays visible to staff."""

    class Source(models.TextChoices):
        CITIZEN = "citizen", _("Citizen")
        LEGAL_ENTITY = "legal_entity", _("Legal entity")
        STAFF = "staff", _("Staff")
        INSPECTION = "inspection", _("On-site check")
        ESTIMATE = "estimate", _("Estimate")

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        SUPERSEDED = "superseded", _("Superseded")
        REJECTED = "rejected", _("Rejected")

    meter = models.ForeignKey(Meter, on_delete=models.PROTECT, related_name="readings")
    value = models.DecimalField(
        _("reading"), max_digits=12, decimal_places=3, validators=[MinValueValidator(Decimal("0"))]
    )
    reading_date = models.DateField(_("reading date"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACCEPTED)
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    photo = models.FileField(_("photo"), storage=private_storage, upload_to="readings/%Y/%m/", blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meter", "-reading_date", "-pk"]
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        indexes = [
            # Last accepted reading of a meter, and a meter's history by date (account page, archive).
            models.Index(fields=["meter", "status", "-reading_date"], name="reading_meter_status_date"),
            models.Index(fields=["meter", "-reading_date", "-id"], name="reading_meter_date"),
        ]

    def __str__(self):
        return f"{self.meter}: {self.value} ({self.reading_date:%Y-%m-%d})"


class SubmittedReading(TenantOwned):
    """One line of a W1 readings application: what the citizen entered for one meter."""

    class Flag(models.TextChoices):
        SERIAL_MISMATCH = "serial_mismatch", _("Factory number does not match the database")
        SEAL_DIFFERS = "seal_differs", _("Seal number differs from the database")
        BELOW_LAST = "below_last", _("Reading below the last accepted one")
        IMPLAUSIBLE_JUMP = "implausible_jump", _("Consumption far above the meter's usual")
        CONFIRMED_BY_CITIZEN = "confirmed_by_citizen", _("Citizen confirmed an unusual reading")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        INSPECTED = "inspected", _("Replaced by the on-site check")

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="reading_lines")
    meter = models.ForeignKey(Meter, on_delete=models.PROTECT, related_name="submitted_readings")
    entered_serial = models.CharField(_("factory number entered"), max_length=40)
    entered_seal = models.CharField(_("seal number entered"), max_length=40, blank=True)
    value = models.DecimalField(_("reading"), max_digits=12, decimal_places=3)
    reading_date = models.DateField(_("reading date"))
    photo = models.FileField(_("photo"), storage=private_storage, upload_to="submissions/%Y/%m/", blank=True)
    previous_value = models.DecimalField(_("last accepted reading"), max_digits=12, decimal_places=3, null=True)
    previous_date = models.DateField(_("date of the last accepted reading"), null=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    booked_reading = models.OneToOneField(
        Reading, null=True, blank=True, on_delete=models.PROTECT, related_name="submission"
    )

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("submitted reading")
        verbose_name_plural = _("submitted readings")


class OnSiteCheck(TenantOwned):
    """A visit by the branch's inspector; his reading is booked instead of the submitted one."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="on_site_checks")
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, verbose_name=_("branch"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(auto_now_add=True)
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
        verbose_name = _("on-site check")
        verbose_name_plural = _("on-site checks")


class InspectedReading(models.Model):
    """The reading the inspector found for one meter of the application."""

    check_visit = models.ForeignKey(OnSiteCheck, on_delete=models.CASCADE, related_name="readings")
    meter = models.ForeignKey(Meter, on_delete=models.PROTECT)
    value = models.DecimalField(_("reading"), max_digits=12, decimal_places=3)
    seal_number = models.CharField(_("seal number found"), max_length=40, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["check_visit", "meter"], name="inspected_reading_unique")]

    def __str__(self):
        return f"{self.meter_id}: {self.value}"


class ReadingsApplication(Application):
    """W1 applications as staff review them: the admin shows each line against the database."""

    class Meta:
        proxy = True
        verbose_name = _("readings application")
        verbose_name_plural = _("readings applications")
