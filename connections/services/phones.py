"""The one-time SMS code that confirms the applicant's mobile number before he sends the request
(issue #10: "it must be an active mobile").

The code is six digits, kept only as a keyed hash, valid for CODE_MINUTES, with MAX_ATTEMPTS
wrong tries; a new code to the same number waits a minute, and a user gets a few an hour
(portal.ratelimit's ``sms_code_resend`` and ``sms_code_send``). A confirmed number stays
confirmed for CONFIRMED_MINUTES, so a form shown again for an error elsewhere does not ask for a
new code.
"""

import datetime
import secrets

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from accounts.phones import normalize_phone, phone_examples
from connections.models import PhoneConfirmation
from portal import ratelimit
from portal.models import Notification
from portal.notifications import queue_notification

CODE_DIGITS = 6
CODE_MINUTES = 5
MAX_ATTEMPTS = 5
CONFIRMED_MINUTES = 30
SMS_TEMPLATE = "connections_sms_code"


def normalize_mobile(value, region):
    """``value`` in E.164 when it is a mobile number of ``region`` (the tenant's country), else a
    ValidationError saying so: the code goes by SMS, and the utility writes to this number."""
    phone = normalize_phone(value, region)
    number = phonenumbers.parse(phone)
    national, international = phone_examples(region)
    if phonenumbers.region_code_for_number(number) != region:
        raise ValidationError(
            _("Enter a mobile number of this country, e.g. %(national)s or %(international)s."),
            code="foreign_phone",
            params={"national": national, "international": international},
        )
    if phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE:
        raise ValidationError(
            _("This is not a mobile number: the code is sent by SMS. Enter a mobile number, e.g. %(national)s."),
            code="not_mobile",
            params={"national": national},
        )
    return phone


def _hash(confirmation_salt, code):
    return salted_hmac("connections.sms-code", f"{confirmation_salt}:{code}", algorithm="sha256").hexdigest()


def send_code(*, tenant, user, phone, language, client_ip=None):
    """Send a new code to ``phone`` (E.164) through the outbox; raises ValidationError when the
    resend wait or the hourly limit is not over. Returns the PhoneConfirmation."""
    wait = ratelimit.retry_after("sms_code_resend", user=user.pk, phone=phone)
    if wait:
        raise ValidationError(
            _("A code was just sent to this number. You can ask for a new one in %(seconds)d seconds."),
            code="resend_wait",
            params={"seconds": wait},
        )
    wait = ratelimit.attempt("sms_code_send", user=user.pk, ip=client_ip, phone=phone)
    if wait:
        raise ValidationError(ratelimit.retry_message(wait), code="too_many_codes")
    ratelimit.hit("sms_code_resend", user=user.pk, phone=phone)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    with transaction.atomic():
        confirmation = PhoneConfirmation.objects.create(
            tenant=tenant,
            user=user,
            phone=phone,
            code_hash="",
            expires_at=timezone.now() + datetime.timedelta(minutes=CODE_MINUTES),
        )
        confirmation.code_hash = _hash(confirmation.pk, code)
        confirmation.save(update_fields=["code_hash"])
        queue_notification(
            tenant=tenant,
            channel=Notification.Channel.SMS,
            recipient=phone,
            template=SMS_TEMPLATE,
            context={"code": code, "minutes": CODE_MINUTES},
            language=language,
            related=confirmation,
        )
    return confirmation


def _latest(tenant, user, phone):
    return PhoneConfirmation.objects.for_tenant(tenant).filter(user=user, phone=phone).order_by("-created_at", "-pk")


def confirm_code(*, tenant, user, phone, code):
    """Check ``code`` against the latest code sent to ``phone``; raises ValidationError (wrong,
    expired, too many tries, none sent). A wrong try is counted even though the caller's form
    fails. Returns the confirmation."""
    code = "".join(str(code or "").split())
    with transaction.atomic():
        confirmation = _latest(tenant, user, phone).select_for_update().first()
        if confirmation is None:
            raise ValidationError(_("Ask for a code first: press “Send code”."), code="no_code")
        if confirmation.confirmed_at is not None:
            return confirmation
        if confirmation.attempts >= MAX_ATTEMPTS:
            raise ValidationError(_("Too many wrong codes. Ask for a new code."), code="too_many_attempts")
        if confirmation.expires_at <= timezone.now():
            raise ValidationError(_("The code has expired. Ask for a new code."), code="code_expired")
        if not (code.isdigit() and constant_time_compare(confirmation.code_hash, _hash(confirmation.pk, code))):
            confirmation.attempts += 1
            confirmation.save(update_fields=["attempts"])
            left = MAX_ATTEMPTS - confirmation.attempts
            if left <= 0:
                error = ValidationError(_("Too many wrong codes. Ask for a new code."), code="too_many_attempts")
            else:
                error = ValidationError(
                    _("The code is wrong. Tries left: %(left)d."), code="wrong_code", params={"left": left}
                )
            # The counted try must survive the caller's error: raised after this block commits.
        else:
            confirmation.confirmed_at = timezone.now()
            confirmation.save(update_fields=["confirmed_at"])
            return confirmation
    raise error


def confirmed_at(*, tenant, user, phone):
    """When ``phone`` was confirmed by ``user`` within CONFIRMED_MINUTES, else None."""
    since = timezone.now() - datetime.timedelta(minutes=CONFIRMED_MINUTES)
    confirmation = (
        _latest(tenant, user, phone).filter(confirmed_at__gte=since).only("confirmed_at").first() if phone else None
    )
    return confirmation.confirmed_at if confirmation is not None else None
