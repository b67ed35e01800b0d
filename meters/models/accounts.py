import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import Branch, TenantOwned
from portal.scoping import TenantQuerySet

from .storage import private_storage

# Printed on the account's invoices: typed by hand, so no 0/O, 1/I/L or 2/Z, 5/S, 8/B look-alikes.
ACCESS_CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
ACCESS_CODE_LENGTH = 10  # 25**10 ≈ 9.5e13 codes; the "Add an account" page allows a handful of tries an hour


def new_access_code():
    return "".join(secrets.choice(ACCESS_CODE_ALPHABET) for _ in range(ACCESS_CODE_LENGTH))


def normalize_access_code(value):
    """What a person typed, as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in (value or "").upper() if ch not in " -\t")


class SubscriberAccount(TenantOwned):
    class Category(models.TextChoices):
        HOUSEHOLD = "household", _("Household")
        LEGAL_ENTITY = "legal_entity", _("Legal entity")

    code = models.CharField(_("subscriber code"), max_length=32)
    holder_name = models.CharField(_("holder name"), max_length=200)
    # The holder's personal identification number (FIN, PINFL, SNILS) from the utility's records:
    # a user whose state login verified the same number holds the account without any code.
    holder_id_number = models.CharField(_("holder's personal identification number"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=300)
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, verbose_name=_("branch"))
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, default=Category.HOUSEHOLD)
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("organization")
    )
    # The account's holders: users who may open its page and invoices. A user becomes one by
    # proving it (the access code of the account's invoices, or staff confirmation in the admin),
    # never by submitting readings for the code: anyone may do that.
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="subscriber_accounts", verbose_name=_("users with access")
    )
    # A per-account secret printed on every invoice; staff rotate it (e.g. when the flat is sold).
    access_code = models.CharField(_("access code"), max_length=ACCESS_CODE_LENGTH, default=new_access_code)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["tenant_id", "code"]
        verbose_name = _("subscriber account")
        verbose_name_plural = _("subscriber accounts")
        constraints = [models.UniqueConstraint(fields=["tenant", "code"], name="account_code_unique_per_tenant")]

    def __str__(self):
        return f"{self.code} — {self.holder_name}"

    @property
    def access_code_display(self):
        """The code as printed, in groups of five: 34679-ACDEF."""
        return "-".join(self.access_code[i : i + 5] for i in range(0, len(self.access_code), 5))

    def rotate_access_code(self):
        self.access_code = new_access_code()
        self.save(update_fields=["access_code"])


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

    account = models.ForeignKey(
        SubscriberAccount, on_delete=models.PROTECT, related_name="meters", verbose_name=_("subscriber account")
    )
    serial_number = models.CharField(_("factory number"), max_length=40)
    seal_number = models.CharField(_("seal number"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    model = models.CharField(_("model"), max_length=100, blank=True)
    integer_digits = models.PositiveSmallIntegerField(_("integer digits"), default=5)
    installed_on = models.DateField(_("installed on"))
    initial_reading = models.DecimalField(_("reading at installation"), max_digits=12, decimal_places=3, default=0)
    verification_due_on = models.DateField(_("next state verification"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    service_point = models.ForeignKey(
        "meters.ServicePoint",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meters",
        verbose_name=_("connection point"),
    )
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        verbose_name=_("replaces meter"),
    )

    class Meta:
        ordering = ["account_id", "serial_number"]
        verbose_name = _("meter")
        verbose_name_plural = _("meters")
        constraints = [
            models.UniqueConstraint(fields=["account", "serial_number"], name="meter_serial_unique_per_account")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} №{self.serial_number}"

    def verification_expired(self, on):
        """True when the state verification was due before ``on``: the meter may still be read,
        but its readings are not legally metrological until it is verified again."""
        return self.verification_due_on is not None and self.verification_due_on < on


class ReadingQuerySet(TenantQuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        stamp_contracts(objs)
        return super().bulk_create(objs, *args, **kwargs)


def stamp_contracts(readings):
    """Sets ``contract_id`` of new readings from their meters' connection points, in one query."""
    missing = {r.meter_id for r in readings if r.contract_id is None and r.meter_id is not None}
    if not missing:
        return
    contract_of = dict(
        Meter.objects.filter(pk__in=missing, service_point__isnull=False).values_list(
            "pk", "service_point__contract_id"
        )
    )
    for reading in readings:
        if reading.contract_id is None:
            reading.contract_id = contract_of.get(reading.meter_id)


class Reading(TenantOwned):
    """A booked or submitted meter reading. Append-only: a correction is a new row that
    supersedes the old one, so the history stays visible to staff."""

    objects = models.Manager.from_queryset(ReadingQuerySet)()

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

    meter = models.ForeignKey(Meter, on_delete=models.PROTECT, related_name="readings", verbose_name=_("meter"))
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
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("entered by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The contract whose connection point the meter served when the reading was booked, copied here
    # (save() and bulk_create fill it) so that the W5 archive reads one index leading with the
    # contract instead of merging every meter's history (issue #12: 5.3 s → ms for 9M readings). A
    # meter moved to another contract later keeps its earlier readings with the earlier contract.
    contract = models.ForeignKey(
        "meters.Contract",
        null=True,
        blank=True,
        editable=False,
        db_index=False,  # reading_contract_date leads with it
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("contract"),
    )

    class Meta:
        ordering = ["meter_id", "-reading_date", "-pk"]
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        indexes = [
            # Last accepted reading of a meter, and a meter's history by date (account page, archive).
            models.Index(fields=["meter", "status", "-reading_date"], name="reading_meter_status_date"),
            models.Index(fields=["meter", "-reading_date", "-id"], name="reading_meter_date"),
            # A contract's readings newest first (W5 archive, its CSV); households have no contract.
            models.Index(
                fields=["contract", "-reading_date", "-id"],
                name="reading_contract_date",
                condition=models.Q(contract__isnull=False),
            ),
        ]

    def save(self, *args, **kwargs):
        if self._state.adding and self.contract_id is None:
            stamp_contracts([self])
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.meter}: {self.value} ({self.reading_date:%Y-%m-%d})"
