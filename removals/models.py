"""W3's rows: the case of one removed meter with its custody chain, the acts, the attendance
appointments and the per-tenant price list and settings. Section numbers are those of Azerigaz's
rules for removing household gas meters and registering them for state verification."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import TenantOwned
from portal.storage import private_storage


class Reason(models.TextChoices):
    """§1.1: the seven reasons a household meter may be removed."""

    # (a) tampering with the counting mechanism, its seals or joints → extraordinary verification
    TAMPERING = "tampering", _("Tampering with the mechanism, seals or joints")
    # (b) no gas passes, low flow not registered, mechanism stopped, electronics dead, noises
    MALFUNCTION = "malfunction", _("Malfunction")
    # (c) a meter inside the flat or yard moved outside
    RELOCATION = "relocation", _("Moved outside the flat or yard")
    # (d) replaced by a modern meter
    MODERNISATION = "modernisation", _("Replacement by a modern meter")
    # (e) does not match real consumption
    CONSUMPTION_MISMATCH = "consumption_mismatch", _("Does not match real consumption")
    # (f) periodic state verification due (every 5 years for households)
    PERIODIC = "periodic", _("Periodic state verification due")
    # (g) a leak at the joint
    LEAK = "leak", _("Leak at the joint")


class Channel(models.TextChoices):
    """Who reported it and how."""

    FIELD_VISIT = "field_visit", _("Field visit by staff")
    CONSUMER_REQUEST = "consumer_request", _("Consumer's request")
    # §1.4: registered and checked on site at once; supply stopped, work the next working day.
    OUT_OF_HOURS = "out_of_hours", _("Out-of-hours call")


class Result(models.TextChoices):
    """The verification lab's finding, as a state verification register keeps it."""

    SUITABLE = "suitable", _("Suitable")
    UNFIT = "unfit", _("Unfit (no tampering)")
    TAMPERED = "tampered", _("Tampered with")
    NOT_REGISTERING = "not_registering", _("Does not register consumption")


class RemovalSettings(TenantOwned):
    """What a tenant sets for its W3 cases."""

    damages_payment_days = models.PositiveSmallIntegerField(
        _("working days to pay damages"),
        default=10,
        help_text=_("After these working days unpaid damages bring a warning, then the §2.8 act (staff confirm)."),
    )
    lab_name = models.CharField(_("verification lab"), max_length=200, blank=True)
    lab_address = models.CharField(_("address of the lab"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("meter removal settings")
        verbose_name_plural = _("meter removal settings")
        constraints = [models.UniqueConstraint(fields=["tenant"], name="removal_settings_one_per_tenant")]

    def __str__(self):
        return str(self.tenant)

    @classmethod
    def for_tenant(cls, tenant):
        found = cls.objects.filter(tenant=tenant).first()
        return found if found is not None else cls(tenant=tenant)


class MeterPrice(TenantOwned):
    """The tenant's price list per meter type: the §1.3 verification fee and the §2.7 value of
    the meter with all costs (damages)."""

    meter_type = models.CharField(
        _("meter type"), max_length=100, help_text=_("As in the meter's model field, e.g. G4 or G4 smart-card.")
    )
    verification_fee = models.DecimalField(_("verification fee"), max_digits=10, decimal_places=2)
    meter_value = models.DecimalField(_("value of the meter"), max_digits=10, decimal_places=2)
    installation_cost = models.DecimalField(
        _("removal and installation costs"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["tenant_id", "meter_type"]
        verbose_name = _("meter price")
        verbose_name_plural = _("meter prices")
        constraints = [models.UniqueConstraint(fields=["tenant", "meter_type"], name="meter_price_unique_type")]

    def __str__(self):
        return self.meter_type

    @property
    def damages_total(self):
        return self.meter_value + self.installation_cost


class MeterRemoval(TenantOwned):
    """The case of one removed meter (one-to-one with its application of the shared workflow)."""

    application = models.OneToOneField(
        "applications.Application",
        on_delete=models.PROTECT,
        related_name="meter_removal",
        verbose_name=_("application"),
    )
    meter = models.ForeignKey(
        "meters.Meter", on_delete=models.PROTECT, related_name="removals", verbose_name=_("meter")
    )
    reason = models.CharField(_("reason"), max_length=24, choices=Reason.choices)
    channel = models.CharField(_("reported by"), max_length=20, choices=Channel.choices)
    reporter_name = models.CharField(_("name of the reporter"), max_length=200, blank=True)
    # §1.3: verification at the consumer's own request is paid by him.
    requested_by_consumer = models.BooleanField(_("verification at the consumer's request"), default=False)
    # §1.5: a meter ruined by a natural disaster is replaced free.
    natural_disaster = models.BooleanField(_("ruined by a natural disaster"), default=False)
    # §2.3: the consumer wishes to attend every stage.
    attendance_requested = models.BooleanField(_("consumer attends the stages"), default=False)

    # The removal record.
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removal_reading = models.DecimalField(
        _("reading at removal"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    removal_seals = models.CharField(_("seal numbers at removal"), max_length=200, blank=True)
    consumer_present = models.BooleanField(_("consumer present"), null=True, blank=True)
    bag_number = models.CharField(_("sealed bag number"), max_length=40, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("removed by"),
    )
    replacement_meter = models.OneToOneField(
        "meters.Meter",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fitted_by_removal",
        verbose_name=_("replacement meter"),
    )

    # Custody chain.
    delivered_on = models.DateField(_("delivered to the lab"), null=True, blank=True)
    intake_on = models.DateField(_("intake at the lab"), null=True, blank=True)
    intake_reading = models.DecimalField(_("reading at intake"), max_digits=12, decimal_places=3, null=True, blank=True)
    intake_seals = models.CharField(_("seal numbers at intake"), max_length=200, blank=True)
    # §2.2: a difference from the removal record makes the special record.
    intake_mismatch = models.TextField(_("difference found at intake"), blank=True)

    # The verification register's fields.
    result = models.CharField(_("verification result"), max_length=20, choices=Result.choices, blank=True)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate or notice number"), max_length=60, blank=True)
    valid_until = models.DateField(_("verification valid until"), null=True, blank=True)
    verifier_name = models.CharField(_("verifier"), max_length=200, blank=True)
    verification_remarks = models.TextField(_("remarks of the lab"), blank=True)

    # Money.
    fee_invoice = models.OneToOneField(
        "billing.Invoice",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="removal_fee_of",
        verbose_name=_("verification fee invoice"),
    )
    damages_invoice = models.OneToOneField(
        "billing.Invoice",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="removal_damages_of",
        verbose_name=_("damages invoice"),
    )
    damages_warned_on = models.DateField(_("non-payment warning sent"), null=True, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("meter removal case")
        verbose_name_plural = _("meter removal cases")
        constraints = [
            # Bad input of issue #11: no damages for a natural-disaster case (§1.5).
            models.CheckConstraint(
                condition=Q(natural_disaster=False) | Q(damages_invoice__isnull=True),
                name="removal_no_damages_for_disaster",
            ),
            models.CheckConstraint(
                condition=Q(result="") | Q(intake_on__isnull=False), name="removal_result_after_intake"
            ),
        ]

    def __str__(self):
        return f"{self.application.number} — {self.meter}"

    @property
    def out_of_hours(self):
        return self.channel == Channel.OUT_OF_HOURS

    @property
    def is_removed(self):
        return self.removed_at is not None

    @property
    def seals_list(self):
        return seal_set(self.removal_seals)

    def difference_at_intake(self, *, reading, seals):
        """§2.2: what the lab found that differs from the removal record, in the active language
        (empty when nothing does)."""
        differences = []
        if self.removal_reading is not None and reading != self.removal_reading:
            differences.append(
                _("reading %(intake)s instead of %(removal)s") % {"intake": reading, "removal": self.removal_reading}
            )
        found, listed = seal_set(seals or ""), seal_set(self.removal_seals)
        missing, extra = sorted(listed - found), sorted(found - listed)
        if missing:
            differences.append(_("seals missing: %(seals)s") % {"seals": ", ".join(missing)})
        if extra:
            differences.append(_("seals not on the removal list: %(seals)s") % {"seals": ", ".join(extra)})
        return "; ".join(differences)

    @property
    def intake_difference(self):
        """The recorded difference in the reader's language (``intake_mismatch`` keeps it as it was
        recorded, in the applicant's language, for the §2.2 record)."""
        if not self.intake_mismatch or self.intake_on is None:
            return ""
        return self.difference_at_intake(reading=self.intake_reading, seals=self.intake_seals)


def seal_set(text):
    """Seal numbers as typed (commas, spaces or new lines between them), compared without case."""
    return {part.strip().upper() for part in text.replace(";", ",").replace("\n", ",").split(",") if part.strip()}


class Act(TenantOwned):
    """A document of the case, rendered as a PDF from the tenant's template by a task."""

    class Kind(models.TextChoices):
        REMOVAL = "removal", _("Removal act")
        INTAKE_MISMATCH = "intake_mismatch", _("Record of a difference at intake (§2.2)")
        NOTICE_OPINION = "notice_opinion", _("Notice and opinion (§2.5)")
        REINSTALLATION = "reinstallation", _("Act of removal, installation and commissioning (§2.8)")

    removal = models.ForeignKey(MeterRemoval, on_delete=models.PROTECT, related_name="acts", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=40)
    language = models.CharField(_("language"), max_length=8)
    issued_on = models.DateField(_("issued on"))
    # What the act says beyond the case's fields (frozen when it is drawn up).
    body = models.TextField(_("text"), blank=True)
    title = models.CharField(_("title"), max_length=200)
    pdf = models.FileField(_("PDF"), storage=private_storage, upload_to="acts/%Y/%m/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("drawn up by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["removal_id", "created_at", "pk"]
        verbose_name = _("act")
        verbose_name_plural = _("acts")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "number"], name="act_number_unique"),
            # One act of each kind per case: a repeated click or task finds it.
            models.UniqueConstraint(fields=["removal", "kind"], name="act_once_per_kind"),
        ]

    def __str__(self):
        return self.number


class ActSequence(TenantOwned):
    """The last act number issued per tenant and year (locked while numbering: no gaps)."""

    year = models.PositiveSmallIntegerField(_("year"))
    last_value = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("act number sequence")
        verbose_name_plural = _("act number sequences")
        constraints = [models.UniqueConstraint(fields=["tenant", "year"], name="act_sequence_unique")]

    def __str__(self):
        return f"{self.tenant_id}/{self.year}: {self.last_value}"


class ActTemplate(TenantOwned):
    """The tenant's wording of an act in one language (the source's annexes 6 and 7 are not
    published: removals.acts holds sensible defaults used until staff write their own).

    ``body`` may name the case's facts as $number, $account, $holder, $address, $meter,
    $reason, $removed_at, $reading, $seals, $bag, $intake_on, $intake_reading, $intake_seals,
    $difference, $result, $certificate, $verified_on, $valid_until, $damages, $tenant."""

    kind = models.CharField(_("kind"), max_length=20, choices=Act.Kind.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))

    class Meta:
        ordering = ["tenant_id", "kind", "language"]
        verbose_name = _("act template")
        verbose_name_plural = _("act templates")
        constraints = [models.UniqueConstraint(fields=["tenant", "kind", "language"], name="act_template_unique")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.language})"


class Appointment(TenantOwned):
    """§2.3: a stage's planned date and place, sent to a consumer who asked to attend, and
    whether he attended."""

    removal = models.ForeignKey(
        MeterRemoval, on_delete=models.CASCADE, related_name="appointments", verbose_name=_("case")
    )
    stage = models.CharField(_("stage"), max_length=32)
    planned_at = models.DateTimeField(_("planned for"))
    place = models.CharField(_("place"), max_length=300)
    attended = models.BooleanField(_("consumer attended"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["removal_id", "planned_at", "pk"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [models.UniqueConstraint(fields=["removal", "stage"], name="appointment_once_per_stage")]

    def __str__(self):
        return f"{self.stage} {self.planned_at:%Y-%m-%d %H:%M}"
