"""From a verified identity to a portal user (issue #13, item 2).

- The provider's subject is linked to a user once (ExternalIdentity); later logins find him.
- A first login creates the user from the verified claims, unless a user already has that
  verified e-mail or that personal identification number: then he is asked for that account's
  password before the login is linked to it (a provider's word that an address is someone's is
  not proof that the person at the keyboard owns the portal account).
- The personal identification number is stored once per country (PersonalDetails' constraint),
  with the provider that verified it.
- A company tax number asserted by a provider that asserts representation makes the user a
  verified representative of that organization.

``identity_verified`` is sent after each successful state login, so lower-level data that a
verified number unlocks (meters: the accounts whose holder has that number) is linked by the app
that owns it, not here.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    ExternalIdentity,
    Organization,
    OrganizationMembership,
    PersonalDetails,
)

# Sent with tenant, user, details (PersonalDetails) and provider after a state login.
identity_verified = Signal()


class SignInRefused(Exception):
    """A clear message for the user: the provider's identity cannot be used here."""


@dataclass(frozen=True)
class SignIn:
    """The outcome: ``user`` to log in, or ``confirm_user`` whose password must be given first."""

    user: object = None
    confirm_user: object = None
    created: bool = False


def _may_use(provider, user):
    if user.is_staff:
        return provider.for_staff
    if OrganizationMembership.objects.filter(user=user).exists():
        return provider.for_representatives or provider.for_citizens
    return provider.for_citizens


def sign_in(*, tenant, provider, identity):
    """The user this identity logs in as (or must confirm); raises SignInRefused."""
    linked = (
        ExternalIdentity.objects.select_related("user")
        .filter(provider=provider, subject=identity.subject, user__is_active=True)
        .first()
    )
    if linked is not None:
        _check_allowed(provider, linked.user)
        return SignIn(user=linked.user)
    User = get_user_model()
    holder = None
    if identity.personal_id_number:
        holder = (
            PersonalDetails.objects.select_related("user")
            .filter(country=tenant.country_code, personal_id_number=identity.personal_id_number)
            .first()
        )
    if holder is not None:
        return SignIn(confirm_user=holder.user)
    if not identity.email:
        raise SignInRefused(
            _("%(provider)s did not tell us your e-mail address, which the portal needs to write to you.")
            % {"provider": provider.label}
        )
    existing = User.objects.filter(email__iexact=identity.email).first()
    if existing is not None:
        return SignIn(confirm_user=existing)
    if not provider.for_citizens:
        raise SignInRefused(_("This login is not offered to citizens."))
    with transaction.atomic():
        user = User.objects.create_user(
            email=identity.email,
            password=None,  # an unusable password: he logs in through the provider
            full_name=identity.full_name or identity.email,
            phone="",
            email_confirmed=identity.email_verified,
        )
        _record(tenant=tenant, provider=provider, user=user, identity=identity)
    return SignIn(user=user, created=True)


def link(*, tenant, provider, identity, user):
    """Link the identity to ``user`` once he has proved the account is his (his password)."""
    _check_allowed(provider, user)
    with transaction.atomic():
        _record(tenant=tenant, provider=provider, user=user, identity=identity)
    return user


def after_login(*, tenant, provider, identity, user):
    """Refresh what the provider verifies at every login and tell the apps that care."""
    with transaction.atomic():
        details = _record(tenant=tenant, provider=provider, user=user, identity=identity)
        ExternalIdentity.objects.filter(provider=provider, subject=identity.subject).update(
            last_login_at=timezone.now()
        )
    identity_verified.send(sender=provider.__class__, tenant=tenant, user=user, details=details, provider=provider)
    return details


def _check_allowed(provider, user):
    if not _may_use(provider, user):
        raise SignInRefused(
            _("This login is not offered to your kind of account. Log in with your e-mail and password.")
        )


def _record(*, tenant, provider, user, identity):
    ExternalIdentity.objects.get_or_create(provider=provider, subject=identity.subject, defaults={"user": user})
    details = PersonalDetails.objects.filter(user=user).first() or PersonalDetails(user=user)
    fields = {
        "country": tenant.country_code,
        "surname": identity.surname,
        "given_name": identity.given_name,
        "patronymic": identity.patronymic,
        "personal_id_number": identity.personal_id_number,
        "birth_date": identity.birth_date,
        "address": identity.address,
    }
    for name, value in fields.items():
        # The provider's word replaces what the user typed; a claim it did not send keeps his.
        if value not in (None, ""):
            setattr(details, name, value)
    details.verified_by = provider.label
    details.verified_at = timezone.now()
    try:
        with transaction.atomic():
            details.save()
    except IntegrityError:
        raise SignInRefused(
            _("Another portal account already holds this personal identification number. Contact the utility.")
        ) from None
    if provider.asserts_organizations and identity.organization_tax_number:
        organization, created = Organization.objects.get_or_create(
            tax_number=identity.organization_tax_number,
            defaults={"name": identity.organization_name or identity.organization_tax_number, "legal_address": ""},
        )
        # The state says he represents the company: the first to arrive owns its portal cabinet.
        role = OrganizationMembership.Role.OWNER if created else OrganizationMembership.Role.ACCOUNTANT
        membership, _created = OrganizationMembership.objects.get_or_create(
            organization=organization, user=user, defaults={"role": role}
        )
        membership.verified_by = provider.label
        membership.save(update_fields=["verified_by"])
    return details
