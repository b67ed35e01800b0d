import logging
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import require_owner
from accounts.models import Organization, OrganizationInvitation, OrganizationMembership, User
from portal import ratelimit
from portal.models import Notification
from portal.notifications import queue_notification

logger = logging.getLogger(__name__)

Role = OrganizationMembership.Role


def tax_number_taken_error():
    return ValidationError(
        _("An organization with this tax number is already registered. Ask its owner to invite you to it."),
        code="tax_number_taken",
    )


def create_organization(*, user, tax_number, name, legal_address, bank_name="", bank_code="", bank_account=""):
    """Register a legal entity; its creator becomes its first owner."""
    organization = Organization(
        tax_number=tax_number,
        name=name,
        legal_address=legal_address,
        bank_name=bank_name,
        bank_code=bank_code,
        bank_account=bank_account,
    )
    organization.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            organization.save()
            OrganizationMembership.objects.create(organization=organization, user=user, role=Role.OWNER)
    except IntegrityError:  # the tax number was taken by a concurrent request
        raise tax_number_taken_error()
    return organization


def invite_member(*, organization, invited_by, email, role, tenant, absolute_url, language):
    """Invite a colleague by e-mail. A newer invitation to the same address replaces older ones."""
    require_owner(organization, invited_by)
    email = email.strip().lower()
    if organization.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError(_("This person is already a member of the organization."), code="already_member")
    retry_after = ratelimit.attempt("invitation_sender", user=invited_by.pk)
    if retry_after:
        raise ValidationError(ratelimit.retry_message(retry_after), code="throttled")
    with transaction.atomic():
        organization.invitations.filter(email__iexact=email, accepted_at__isnull=True).delete()
        invitation = OrganizationInvitation.objects.create(
            organization=organization,
            email=email,
            role=role,
            invited_by=invited_by,
            token=secrets.token_urlsafe(32),
        )
        if ratelimit.attempt("invitation_mail", recipient=email):
            # The owner sees the invitation as sent and pending, as for any other address.
            logger.warning("Invitation %s not mailed: too many invitations to this address", invitation.pk)
            return invitation
        queue_notification(
            tenant=tenant,
            channel=Notification.Channel.EMAIL,
            recipient=email,
            template="account_organization_invitation",
            context={
                "organization": organization,
                "invited_by": invited_by,
                "role": invitation.get_role_display(),
                "accept_url": absolute_url(reverse("accounts:accept_invitation", kwargs={"token": invitation.token})),
                "valid_days": OrganizationInvitation.VALID_DAYS,
            },
            language=_language_of_invitee(email, language),
            related=invitation,
        )
    return invitation


def _language_of_invitee(email, fallback):
    """An invitee who already has an account reads the invitation in his own language."""
    invitee = User.objects.filter(email__iexact=email).exclude(preferred_language="").first()
    return invitee.preferred_language if invitee else fallback


def accept_invitation(*, token, user):
    """Join the organization with the invited role; the invitation works once, for its address,
    within its validity."""
    with transaction.atomic():
        invitation = (
            OrganizationInvitation.objects.select_for_update()
            .select_related("organization")
            .filter(token=token)
            .first()
        )
        if invitation is None or invitation.accepted_at is not None:
            raise ValidationError(_("This invitation has already been used."), code="used")
        if invitation.is_expired():
            raise ValidationError(
                _("This invitation has expired. Ask the organization's owner for a new one."), code="expired"
            )
        if invitation.email.lower() != user.email.lower():
            raise ValidationError(
                _("This invitation was sent to another e-mail address. Log in with that address to accept it."),
                code="wrong_user",
            )
        membership, created = OrganizationMembership.objects.get_or_create(
            organization=invitation.organization, user=user, defaults={"role": invitation.role}
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return membership


def _owners_locked(organization):
    # Locking the owners' rows serialises concurrent demotions/removals, so two owners cannot
    # remove each other at the same moment and leave the organization without one.
    return list(
        OrganizationMembership.objects.select_for_update()
        .filter(organization=organization, role=Role.OWNER)
        .values_list("pk", flat=True)
    )


def _last_owner_error():
    return ValidationError(
        _("An organization needs at least one owner. Make someone else an owner first."), code="last_owner"
    )


def change_member_role(*, membership, role, by):
    require_owner(membership.organization, by)
    with transaction.atomic():
        owners = _owners_locked(membership.organization)
        if membership.role == Role.OWNER and role != Role.OWNER and owners == [membership.pk]:
            raise _last_owner_error()
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def remove_member(*, membership, by):
    require_owner(membership.organization, by)
    with transaction.atomic():
        owners = _owners_locked(membership.organization)
        if membership.role == Role.OWNER and owners == [membership.pk]:
            raise _last_owner_error()
        membership.delete()
