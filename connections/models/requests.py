"""The W2 application's own rows: what the applicant asked for and what was frozen when he sent it
(the quote, the distance), what staff did at each stage (the fee invoice, the technical
conditions, the connection), the tenant's connection terms, and the one-time SMS codes that
confirm the mobile number before sending."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from connections.fees import ApplicantKind, ObjectKind, Phase, Term, Voltage
from portal.models import TenantOwned
from portal.storage import private_storage

# Cabinet Decision No. 327 (2018) and the regulator's household page: 24 working days after the
# payment for households, 20 for entrepreneurs; "12 or 24 days, depending on the payment": 12 is
# the paid urgent term (shared/reference/domain-figures.md). Staff change them per tenant.
HOUSEHOLD_TERM_DAYS = 24
ENTREPRENEUR_TERM_DAYS = 20
URGENT_TERM_DAYS = 12
# No published rule sets the branch's review: a working week, configurable.
REVIEW_TERM_DAYS = 5


class ConnectionSettings(TenantOwned):
    """A tenant's connection terms in working days, edited in the admin (one row per tenant; the
    defaults above apply while staff have not saved one)."""

    review_days = models.PositiveSmallIntegerField(_("review by the branch, working days"), default=REVIEW_TERM_DAYS)
    household_days = models.PositiveSmallIntegerField(
        _("connection term for households, working days after payment"), default=HOUSEHOLD_TERM_DAYS
    )
    entrepreneur_days = models.PositiveSmallIntegerField(
        _("connection term for entrepreneurs, working days after payment"), default=ENTREPRENEUR_TERM_DAYS
    )
    urgent_days = models.PositiveSmallIntegerField(
        _("urgent connection term, working days after payment"), default=URGENT_TERM_DAYS
    )
    # New subscriber codes of connected objects: this prefix, then the application's id (15 digits
    # in all, the Azerishiq subscriber code).
    account_code_prefix = models.CharField(_("prefix of new subscriber codes"), max_length=4, default="77")

    class Meta:
        verbose_name = _("connection settings")
        verbose_name_plural = _("connection settings")
        constraints = [models.UniqueConstraint(fields=["tenant"], name="connection_settings_one_per_tenant")]

    def __str__(self):
        return str(self.tenant)

    @classmethod
    def for_tenant(cls, tenant):
        """The tenant's saved settings, or the defaults (unsaved)."""
        return cls.objects.filter(tenant=tenant).first() or cls(tenant=tenant)

    def connection_days(self, *, applicant_kind, term):
        if term == Term.URGENT:
            return self.urgent_days
        if applicant_kind == ApplicantKind.ENTREPRENEUR:
            return self.entrepreneur_days
        return self.household_days


class ConnectionRequest(TenantOwned):
    """The payload of one grid-connection application (applications.Application)."""

    class DistanceMethod(models.TextChoices):
        HAVERSINE = "haversine", _("Great-circle distance from the imported GIS data")
        GIS_SERVICE = "gis-service", _("The utility's GIS service")
        NONE = "", _("Not measured")

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="connection_request", verbose_name=_("application")
    )
    applicant_kind = models.CharField(_("applicant"), max_length=16, choices=ApplicantKind.choices)
    entrepreneur_tax_number = models.CharField(_("tax number of the entrepreneur"), max_length=12, blank=True)
    object_kind = models.CharField(_("object"), max_length=16, choices=ObjectKind.choices)
    building_has_general_conditions = models.BooleanField(
        _("the building already has general technical conditions"), default=False
    )
    phase = models.CharField(_("phase"), max_length=8, choices=Phase.choices)
    voltage = models.CharField(_("voltage"), max_length=8, choices=Voltage.choices, default=Voltage.LOW)
    power_kw = models.DecimalField(_("requested power, kW"), max_digits=5, decimal_places=1)
    term = models.CharField(_("execution term"), max_length=8, choices=Term.choices, default=Term.STANDARD)

    district = models.ForeignKey(
        "connections.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    registry_number = models.CharField(_("registry number"), max_length=40)
    registration_number = models.CharField(_("registration number"), max_length=40)
    parcel = models.ForeignKey(
        "connections.Parcel",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("parcel"),
    )

    # The quote as the applicant saw it when sending (connections.fees.Quote.as_frozen()): a later
    # change of the schedule never changes it.
    quote = models.JSONField(_("quote as sent"))
    quote_total = models.DecimalField(_("fee"), max_digits=12, decimal_places=2)
    fee_schedule = models.ForeignKey(
        "connections.FeeSchedule",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("fee schedule"),
    )

    # The distance as the GIS gave it when sending; empty when no centre could supply the power.
    distance_m = models.PositiveIntegerField(_("distance to the power centre, m"), null=True, blank=True)
    centre = models.ForeignKey(
        "connections.PowerCentre",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("power centre"),
    )
    centre_code = models.CharField(_("power centre code"), max_length=40, blank=True)
    centre_name = models.CharField(_("power centre name"), max_length=200, blank=True)
    distance_method = models.CharField(_("distance method"), max_length=16, choices=DistanceMethod.choices, blank=True)
    distance_approximate = models.BooleanField(_("approximate (from the district centre)"), default=False)
    gis_data_version = models.CharField(_("GIS data version"), max_length=64, blank=True)
    # Staff may correct the distance, never silently: the reason and who did it are kept.
    distance_override_m = models.PositiveIntegerField(_("distance set by staff, m"), null=True, blank=True)
    distance_override_reason = models.TextField(_("reason for the staff's distance"), blank=True)
    distance_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("distance set by"),
    )
    distance_override_at = models.DateTimeField(_("distance set at"), null=True, blank=True)

    phone_verified_at = models.DateTimeField(_("mobile number confirmed"))

    fee_invoice = models.OneToOneField(
        "billing.Invoice",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="connection_request",
        verbose_name=_("fee invoice"),
    )
    conditions_text = models.TextField(_("technical conditions"), blank=True)
    conditions_pdf = models.FileField(
        _("technical conditions (PDF)"), storage=private_storage, upload_to="connections/conditions/%Y/", blank=True
    )
    conditions_issued_on = models.DateField(_("technical conditions issued on"), null=True, blank=True)
    connected_on = models.DateField(_("connected on"), null=True, blank=True)
    account = models.OneToOneField(
        "meters.SubscriberAccount",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="connection_request",
        verbose_name=_("subscriber account"),
    )
    meter = models.OneToOneField(
        "meters.Meter", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("meter")
    )

    class Meta:
        verbose_name = _("grid connection request")
        verbose_name_plural = _("grid connection requests")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(power_kw__gt=0, power_kw__lte=150), name="connection_power_within_service"
            ),
            models.CheckConstraint(
                condition=models.Q(distance_override_m__isnull=True) | ~models.Q(distance_override_reason=""),
                name="connection_distance_override_has_reason",
            ),
        ]

    def __str__(self):
        return str(self.application_id)

    @property
    def distance_shown_m(self):
        """The distance that counts: the staff's correction where there is one."""
        return self.distance_override_m if self.distance_override_m is not None else self.distance_m

    def frozen_quote(self):
        from connections.fees import Quote

        return Quote.from_frozen(self.quote)


class ConnectionApplication(Application):
    """W2 applications as the branch handles them in the admin."""

    class Meta:
        proxy = True
        verbose_name = _("grid connection application")
        verbose_name_plural = _("grid connection applications")


class PhoneConfirmation(TenantOwned):
    """A one-time code sent by SMS to confirm the mobile number of a connection request.

    Only a keyed hash of the code is kept; the code expires after a few minutes and allows a few
    tries. Once confirmed, the number counts as confirmed for the same user for a while, so a form
    shown again with an error elsewhere does not ask for a new code.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    phone = models.CharField(_("phone"), max_length=16)
    code_hash = models.CharField(_("code hash"), max_length=64)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("phone confirmation")
        verbose_name_plural = _("phone confirmations")
        indexes = [models.Index(fields=["user", "phone", "-created_at"], name="phone_confirmation_latest")]

    def __str__(self):
        return f"{self.phone} {self.created_at:%Y-%m-%d %H:%M}"
