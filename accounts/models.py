from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .phones import validate_e164


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("The e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, email_confirmed=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: citizen, member of a legal entity, or utility staff. Logs in with e-mail."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(
        _("mobile phone"),
        max_length=16,
        blank=True,
        validators=[validate_e164],
        help_text=_("International format, e.g. +994501234567."),
    )
    preferred_language = models.CharField(_("preferred language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    email_confirmed = models.BooleanField(_("e-mail confirmed"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    @property
    def personal_details_or_none(self):
        try:
            return self.personal_details
        except PersonalDetails.DoesNotExist:
            return None

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


tax_number_validator = RegexValidator(r"^\d{9,12}$", _("A tax number has 9 to 12 digits."))


class Organization(models.Model):
    """A legal entity whose members share a cabinet. Not tenant-owned: one company may be a
    customer of several utilities; what it holds at each utility (contracts) is tenant-owned."""

    tax_number = models.CharField(_("tax number"), max_length=12, unique=True, validators=[tax_number_validator])
    name = models.CharField(_("name"), max_length=300)
    legal_address = models.CharField(_("legal address"), max_length=300)
    bank_name = models.CharField(_("bank"), max_length=200, blank=True)
    bank_code = models.CharField(_("bank code (BIC/MFO)"), max_length=20, blank=True)
    bank_account = models.CharField(_("settlement account"), max_length=34, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="OrganizationMembership",
        related_name="organizations",
        verbose_name=_("members"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.name


class OrganizationMembership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        ACCOUNTANT = "accountant", _("Accountant")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organization")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="org_memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.ACCOUNTANT)
    # Set when a state login asserted that the user represents this company: the contract-linking
    # step then trusts him without a staff confirmation.
    verified_by = models.CharField(_("representation verified by"), max_length=100, blank=True)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("organization member")
        verbose_name_plural = _("organization members")
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="org_member_unique")]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) — {self.organization}"


class OrganizationInvitation(models.Model):
    """An owner's invitation of a colleague, by e-mail, to join the organization with a role.

    The token travels only in the e-mail; it is valid for ``VALID_DAYS`` and accepted once.
    """

    VALID_DAYS = 7

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("organization")
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(
        _("role"),
        max_length=16,
        choices=OrganizationMembership.Role.choices,
        default=OrganizationMembership.Role.ACCOUNTANT,
    )
    token = models.CharField(_("invitation token"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("invited"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.organization}"

    @property
    def expires_at(self):
        return self.created_at + timedelta(days=self.VALID_DAYS)

    def is_expired(self, now=None):
        return (now or timezone.now()) >= self.expires_at

    @property
    def is_pending(self):
        return self.accepted_at is None and not self.is_expired()


class PersonalDetails(models.Model):
    """A person's "basic data" as the state services ask for it (W2's read-only block): names with
    patronymic, the personal identification number (FIN in Azerbaijan, PINFL in Uzbekistan,
    SNILS in Russia), the identity document, birth date and address; the tax number of a sole
    entrepreneur.

    Kept apart from User because a user may have none (staff, company accountants) and because
    the identification number is unique per country, not globally. ``verified_by`` names the
    identity provider that asserted the data; empty means the user typed it himself.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_details", verbose_name=_("user")
    )
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 code, e.g. AZ."))
    surname = models.CharField(_("surname"), max_length=100)
    given_name = models.CharField(_("name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    personal_id_number = models.CharField(_("personal identification number"), max_length=20, blank=True)
    id_document = models.CharField(_("identity document"), max_length=40, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    entrepreneur_tax_number = models.CharField(
        _("tax number of the entrepreneur"), max_length=12, blank=True, validators=[tax_number_validator]
    )
    verified_by = models.CharField(_("verified by"), max_length=100, blank=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal details")
        verbose_name_plural = _("personal details")
        constraints = [
            # One person, one record per country: a second account claiming the same number is refused.
            models.UniqueConstraint(
                fields=["country", "personal_id_number"],
                condition=~models.Q(personal_id_number=""),
                name="personal_id_number_unique_per_country",
            )
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return " ".join(part for part in (self.surname, self.given_name, self.patronymic) if part)

    @property
    def is_verified(self):
        return bool(self.verified_by)



# The state-login models live in their own module; importing them here registers them with the app.
from accounts.models_identity import (  # noqa: E402, F401
    DEFAULT_CLAIM_MAPPING,
    ExternalIdentity,
    IdentityProvider,
    StateLoginDevice,
)
