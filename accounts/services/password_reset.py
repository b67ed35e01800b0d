"""The password reset e-mail.

The page answers the same, at the same cost, whether or not the address has an account: the
request only counts the try (per recipient and per sender's address, ``password_reset_mail`` of
portal.ratelimit) and hands the address to a task (accounts.tasks.send_password_reset), which
looks the account up and writes the message to the outbox after the response.
"""

import logging

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portal import queue, ratelimit
from portal.models import Notification, Tenant
from portal.notifications import queue_notification
from portal.urls_helpers import script_prefix

logger = logging.getLogger(__name__)

MAIL_THROTTLE = "password_reset_mail"
SEND_TASK = "accounts.tasks.send_password_reset"


def request_password_reset(*, email, tenant, language, origin, prefix, client_ip=None):
    """Count the request and queue the lookup; silently nothing when over the limit.

    ``origin`` (scheme and host) and ``prefix`` (the tenant's path prefix) make the link in the
    message lead back to the portal the request came through."""
    email = email.strip()
    if ratelimit.attempt(MAIL_THROTTLE, recipient=email.lower(), ip=client_ip):
        logger.warning("Password reset mail not sent: too many to this address or from %s", client_ip)
        return
    tenant_id = tenant.pk if tenant is not None else None
    queue.enqueue_on_commit(SEND_TASK, email, tenant_id, language, origin, prefix, if_down="the reset is not sent")


def send_password_reset(*, email, tenant_id, language, origin, prefix):
    """Queue the reset message to each active account of ``email`` with a usable password (as
    Django's own form chooses them); nothing for an unknown address."""
    tenant = Tenant.objects.filter(pk=tenant_id).first() if tenant_id else None
    sent = []
    for user in PasswordResetForm().get_users(email):
        kwargs = {
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        }
        with script_prefix(prefix):
            path = reverse("accounts:password_reset_confirm", kwargs=kwargs)
        sent.append(
            queue_notification(
                tenant=tenant,
                channel=Notification.Channel.EMAIL,
                recipient=user.email,
                template="account_password_reset",
                context={"user": user, "reset_url": origin + path},
                language=user.preferred_language or language,
                related=user,
            )
        )
    return sent
