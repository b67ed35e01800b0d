import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from accounts.models import User
from accounts.tokens import email_confirmation_token
from portal import ratelimit
from portal.models import Notification
from portal.notifications import queue_notification

logger = logging.getLogger(__name__)

# One confirmation e-mail per address per minute, however often "resend" is pressed.
RESEND_INTERVAL = timedelta(seconds=60)
# The confirmation and "already registered" mails the registration and resend pages send, per
# recipient and per sender's address (portal.ratelimit).
MAIL_THROTTLE = "registration_mail"


def language_of(user, fallback=None):
    return user.preferred_language or fallback or settings.LANGUAGE_CODE


def _may_mail(recipient, client_ip):
    """Count one registration mail to ``recipient``; False (and logged) when over the limit:
    then it is not sent, and the page the visitor sees is the same."""
    if ratelimit.attempt(MAIL_THROTTLE, recipient=recipient.lower(), ip=client_ip):
        logger.warning("Registration mail not sent: too many to this address or from %s", client_ip)
        return False
    return True


def register_user(*, email, full_name, password, phone="", preferred_language, tenant, absolute_url, client_ip=None):
    """Create an account that can log in only once its e-mail address is confirmed.

    Returns the new user, or None when the address is already registered: then the owner of the
    address is told by e-mail instead, so that the form never reveals which addresses exist.
    """
    email = User.objects.normalize_email(email).lower()
    user = User(email=email, full_name=full_name, phone=phone, preferred_language=preferred_language)
    # Hashed on both paths: the hash is most of the work, and an address that is already
    # registered must not answer faster than a new one.
    user.set_password(password)
    user.full_clean(validate_unique=False)
    with transaction.atomic():
        existing = User.objects.filter(email__iexact=email).first()
        if existing is None:
            try:
                with transaction.atomic():
                    user.save()
            except IntegrityError:  # registered a moment ago by a concurrent request
                existing = User.objects.get(email__iexact=email)
            else:
                if _may_mail(email, client_ip):
                    send_confirmation(user=user, tenant=tenant, absolute_url=absolute_url)
                return user
        if _may_mail(email, client_ip):
            _tell_existing_owner(user=existing, tenant=tenant, absolute_url=absolute_url, language=preferred_language)
    return None


def _tell_existing_owner(*, user, tenant, absolute_url, language):
    if not user.email_confirmed:
        send_confirmation(user=user, tenant=tenant, absolute_url=absolute_url)
        return
    queue_notification(
        tenant=tenant,
        channel=Notification.Channel.EMAIL,
        recipient=user.email,
        template="account_already_registered",
        context={
            "user": user,
            "login_url": absolute_url(reverse("accounts:login")),
            "password_reset_url": absolute_url(reverse("accounts:password_reset")),
        },
        language=language_of(user, language),
    )


def confirmation_url(*, user, absolute_url):
    kwargs = {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": email_confirmation_token.make_token(user)}
    return absolute_url(reverse("accounts:confirm_email", kwargs=kwargs))


def send_confirmation(*, user, tenant, absolute_url):
    """Queue the "confirm your e-mail address" message (in the caller's transaction)."""
    return queue_notification(
        tenant=tenant,
        channel=Notification.Channel.EMAIL,
        recipient=user.email,
        template="account_confirm_email",
        context={"user": user, "confirm_url": confirmation_url(user=user, absolute_url=absolute_url)},
        language=language_of(user),
        related=user,
    )


def resend_confirmation(*, email, tenant, absolute_url, client_ip=None):
    """Send a fresh confirmation link to an unconfirmed account, if there is one.

    Says nothing either way, so the page cannot be used to probe for addresses.
    """
    if not _may_mail(email.strip(), client_ip):
        return
    user = User.objects.filter(email__iexact=email.strip(), email_confirmed=False, is_active=True).first()
    if user is None:
        return
    recently = Notification.objects.filter(
        template="account_confirm_email", recipient=user.email, created_at__gte=timezone.now() - RESEND_INTERVAL
    )
    if recently.exists():
        return
    with transaction.atomic():
        send_confirmation(user=user, tenant=tenant, absolute_url=absolute_url)


def confirm_email(*, uidb64, token):
    """Mark the address confirmed if the link is genuine and unused; return the user or None."""
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None
    if user.email_confirmed or not email_confirmation_token.check_token(user, token):
        return None
    user.email_confirmed = True
    user.save(update_fields=["email_confirmed"])
    return user
