import zoneinfo

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from portal.scoping import TenantManager

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB."))
slug_validator = RegexValidator(
    r"^[a-z][a-z0-9-]{1,40}$", _("Use lower-case letters, digits and hyphens, starting with a letter.")
)

prefix_validator = RegexValidator(
    r"^[A-Z][A-Z0-9]{1,5}$", _("Use 2 to 6 capital letters or digits, starting with a letter.")
)


class Workflow(models.TextChoices):
    """The e-services a tenant can offer; each tenant switches on its own."""

    METER_READINGS = "meter_readings", _("Submission of meter readings")
    GRID_CONNECTION = "grid_connection", _("Connection to the electricity grid")
    METER_REMOVAL = "meter_removal", _("Meter removal and verification")
    LEGAL_CABINET = "legal_cabinet", _("Legal consumer cabinet")
    CONTRACT_CABINET = "contract_cabinet", _("Subscriber cabinet for contracts")


class Tenant(models.Model):
    """A utility company served by this deployment."""

    class Country(models.TextChoices):
        AZERBAIJAN = "AZ", _("Azerbaijan")
        RUSSIA = "RU", _("Russia")
        UZBEKISTAN = "UZ", _("Uzbekistan")

    slug = models.SlugField(_("address name"), max_length=40, unique=True, validators=[slug_validator])
    name = models.CharField(
        _("name"), max_length=200, help_text=_("Shown in every language without a name of its own.")
    )
    # The name in each portal language (settings.LANGUAGES); local_name falls back to ``name``.
    name_az = models.CharField(_("name in Azerbaijani"), max_length=200, blank=True)
    name_ru = models.CharField(_("name in Russian"), max_length=200, blank=True)
    name_uz = models.CharField(_("name in Uzbek"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    domain = models.CharField(
        _("own domain"),
        max_length=253,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Host name under which the tenant is served on its own, e.g. portal.azersu.az."),
    )
    country_code = models.CharField(_("country"), max_length=2, choices=Country.choices)
    default_language = models.CharField(_("default language"), max_length=8, choices=settings.LANGUAGES)
    timezone = models.CharField(_("time zone"), max_length=64, default="Asia/Baku")
    currency = models.CharField(_("currency"), max_length=3, help_text=_("ISO 4217 code, e.g. AZN."))
    # Unique across tenants: invoice numbers carry it and name the stored PDFs and e-mail attachments.
    application_prefix = models.CharField(
        _("application number prefix"),
        max_length=6,
        unique=True,
        validators=[prefix_validator],
        help_text=_(
            "The tenant's own prefix of application and invoice numbers, e.g. AZS-2026-000123 and "
            "AZS-INV-2026-000024; no other tenant may use it."
        ),
    )
    contract_link_needs_confirmation = models.BooleanField(
        _("contract linking needs staff confirmation"),
        default=False,
        help_text=_("When on, a contract linked in a cabinet waits until staff confirm it."),
    )
    subscriber_code_pattern = models.CharField(
        _("subscriber code pattern"),
        max_length=100,
        blank=True,
        help_text=_("Regular expression a subscriber code must match, e.g. ^\\d{15}$ (15 digits); empty: any."),
    )
    # The source service shows the holder in full only behind state login; without it a stranger
    # who types a code sees initials and the street, enough to check he typed the right code.
    show_holder_details = models.BooleanField(
        _("show the holder's full name and address at the subscriber-code step"),
        default=False,
        help_text=_(
            "When off, users who do not hold the account see the holder's initials and the street and house only."
        ),
    )
    workflows = models.JSONField(_("e-services offered"), default=list, blank=True)
    logo = models.ImageField(_("logo"), upload_to="tenants/logos/", blank=True)
    brand_colour = models.CharField(_("brand colour"), max_length=7, default="#0b5cab", validators=[colour_validator])
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    # Requisites printed on invoices: a bill without the payee's legal name, tax number and bank
    # account is not one a bank will pay from.
    legal_name = models.CharField(_("legal name"), max_length=300, blank=True)
    tax_number = models.CharField(
        _("tax number"),
        max_length=12,
        blank=True,
        help_text=_("VÖEN in Azerbaijan, STIR in Uzbekistan, INN in Russia."),
    )
    bank_name = models.CharField(_("bank"), max_length=200, blank=True)
    bank_code = models.CharField(
        _("bank code"), max_length=20, blank=True, help_text=_("BIC in Russia, bank code (MFO) elsewhere.")
    )
    bank_account = models.CharField(_("bank account"), max_length=34, blank=True)
    correspondent_account = models.CharField(
        _("correspondent account"), max_length=20, blank=True, help_text=_("The bank's correspondent account (Russia).")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")

    def __str__(self):
        return self.local_name

    def get_absolute_url(self):
        from portal.urls_helpers import tenant_reverse

        return tenant_reverse(self, "home")

    @property
    def local_name(self):
        """The name in the active language (the reader's), else the name every language falls back to."""
        language = (translation.get_language() or "").split("-")[0]
        return getattr(self, f"name_{language}", "") or self.name

    def today(self):
        """Today where the tenant is: a reading taken this evening in Baku is not "future", and
        numbers, due dates and windows follow the tenant's calendar, not UTC. Tests freeze time
        here, in one place."""
        return timezone.localdate(timezone=zoneinfo.ZoneInfo(self.timezone))

    def offers(self, workflow):
        return workflow in self.workflows

    @property
    def path_prefix(self):
        """Script prefix under which this tenant's pages live on the shared portal."""
        return "/" if self.domain else f"/{self.slug}/"

    def absolute_url(self, viewname, *args, **kwargs):
        """An absolute URL for e-mails and tasks, which run outside any request."""
        from portal.urls_helpers import tenant_reverse

        return tenant_reverse(self, viewname, args=args or None, kwargs=kwargs or None, absolute=True)


class TenantOwned(models.Model):
    """Base for every row that belongs to one tenant."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, verbose_name=_("tenant"))

    objects = TenantManager()

    class Meta:
        abstract = True


class Branch(TenantOwned):
    """A structural unit (district office) that applications are routed to."""

    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    region = models.CharField(_("region"), max_length=120, blank=True)
    short_lab_delivery_term = models.BooleanField(
        _("shorter lab-delivery term"),
        default=False,
        # Gas meter removal rules §2.1: a removed meter reaches the verification department within
        # 10 working days of disconnection, 5 for Baku, Sumgayit and Absheron.
        help_text=_(
            "Removed meters reach the verification lab within 5 working days instead of 10 "
            "(Baku, Sumgayit and Absheron)."
        ),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        ordering = ["tenant_id", "name"]
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        constraints = [models.UniqueConstraint(fields=["tenant", "code"], name="branch_code_unique_per_tenant")]

    def __str__(self):
        return self.name


class StaffMembership(TenantOwned):
    """Links a staff user to the tenant (and optionally the branches) he works for."""

    class Role(models.TextChoices):
        ADMINISTRATOR = "administrator", _("Administrator")
        REVIEWER = "reviewer", _("Reviewer")
        INSPECTOR = "inspector", _("Inspector")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.REVIEWER)
    branches = models.ManyToManyField(
        Branch,
        blank=True,
        verbose_name=_("branches"),
        help_text=_("Leave empty to work with every branch of the tenant."),
    )

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [models.UniqueConstraint(fields=["tenant", "user"], name="staff_membership_unique")]

    def __str__(self):
        return f"{self.user} @ {self.tenant}"
