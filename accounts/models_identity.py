"""External identity providers (state logins) per tenant, and who logged in through which."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from portal.models import TenantOwned

# Our field -> the claim that carries it, for a provider speaking plain OpenID Connect with the
# standard claims. National providers name them otherwise (ESIA: "snils"; OneID: "pin"): staff
# change the mapping in the admin.
DEFAULT_CLAIM_MAPPING = {
    "email": "email",
    "email_verified": "email_verified",
    "given_name": "given_name",
    "surname": "family_name",
    "patronymic": "middle_name",
    "personal_id_number": "personal_id_number",
    "birth_date": "birthdate",
    "address": "address",
    "phone": "phone_number",
    "organization_tax_number": "organization_tax_number",
    "organization_name": "organization_name",
}


def default_claim_mapping():
    return dict(DEFAULT_CLAIM_MAPPING)


class IdentityProvider(TenantOwned):
    """A state login the tenant offers beside e-mail and password (e-gov, ASAN Login, OneID, ESIA)."""

    class Protocol(models.TextChoices):
        OIDC = "oidc", _("OpenID Connect")
        ESIA = "esia", _("ESIA (Gosuslugi): client secret signed with GOST keys")
        ONEID = "oneid", _("OneID (Uzbekistan): own grant names")
        ASAN = "asan", _("ASAN Login: single sign-on token")

    slug = models.SlugField(_("short name in the address"), max_length=40)
    label = models.CharField(_("button label"), max_length=100, help_text=_("For example: Log in with e-gov"))
    logo = models.CharField(
        _("logo"), max_length=200, blank=True, help_text=_("A static file path, e.g. img/idp/egov.svg.")
    )
    protocol = models.CharField(_("protocol"), max_length=8, choices=Protocol.choices, default=Protocol.OIDC)
    discovery_url = models.URLField(
        _("issuer or discovery URL"),
        help_text=_("The issuer, or its /.well-known/openid-configuration address."),
    )
    client_id = models.CharField(_("client id"), max_length=200)
    client_secret = models.CharField(_("client secret"), max_length=500, blank=True)
    scopes = models.CharField(_("scopes"), max_length=300, default="openid profile email")
    claim_mapping = models.JSONField(_("claim mapping"), default=default_claim_mapping, blank=True)
    for_citizens = models.BooleanField(_("citizens may use it"), default=True)
    for_representatives = models.BooleanField(_("company representatives may use it"), default=True)
    for_staff = models.BooleanField(_("staff may use it"), default=False)
    strong_authentication = models.BooleanField(
        _("counts as two factors"),
        default=False,
        help_text=_(
            "Only for providers that assert a strong level (an e-signature card, Asan İmza). "
            "Otherwise staff still enter their authenticator code."
        ),
    )
    asserts_organizations = models.BooleanField(
        _("asserts company representation"),
        default=False,
        help_text=_("The provider tells which company the user represents (OneID legal entity, ESIA organization)."),
    )
    is_active = models.BooleanField(_("offered"), default=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["tenant_id", "label"]
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        constraints = [models.UniqueConstraint(fields=["tenant", "slug"], name="identity_provider_slug_per_tenant")]

    def __str__(self):
        return self.label

    def clean(self):
        unknown = set(self.claim_mapping or {}) - set(DEFAULT_CLAIM_MAPPING)
        if unknown:
            raise ValidationError(
                {
                    "claim_mapping": _("Unknown fields in the claim mapping: %(fields)s.")
                    % {"fields": ", ".join(sorted(unknown))}
                }
            )
        if "openid" not in self.scopes.split():
            raise ValidationError({"scopes": _("The scopes must include “openid”.")})

    def claim(self, field):
        return (self.claim_mapping or {}).get(field) or DEFAULT_CLAIM_MAPPING[field]


class ExternalIdentity(models.Model):
    """A user's account at a provider: the provider's subject identifier, linked once."""

    provider = models.ForeignKey(
        IdentityProvider, on_delete=models.CASCADE, related_name="identities", verbose_name=_("identity provider")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="external_identities",
        verbose_name=_("user"),
    )
    subject = models.CharField(_("subject identifier"), max_length=255)
    linked_at = models.DateTimeField(_("linked"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("last login"), null=True, blank=True)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="external_identity_once"),
        ]

    def __str__(self):
        return f"{self.provider} · {self.subject}"


class StateLoginDevice(Device):
    """The second factor of a staff member who logged in through a provider that asserts a strong
    level: django-otp verifies the session with it, and nobody can type a code for it."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("state login (strong)")
        verbose_name_plural = _("state logins (strong)")

    def verify_token(self, token):
        return False
