"""The W1 subscriber-code step: find the account a code names without becoming a list of who
lives where (issue #8).

Every distinct code the user does not hold counts against the ``subscriber_code_lookup`` policy,
per user and per client address, whether the account exists or not (a known code of someone
else is exactly what an enumeration is after). After the limit a new code is refused without
being looked up; a code counted earlier in the window may be looked up again (it tells nothing
new), and the user's own accounts are neither counted nor limited. Unknown codes, other
people's accounts and refusals are logged for staff.
"""

import logging
import re

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from meters.holders import held_codes, normalize_subscriber_code
from meters.models import SubscriberAccount
from portal import ratelimit
from readings.models import SubscriberCodeLookup

logger = logging.getLogger(__name__)

THROTTLE = "subscriber_code_lookup"
# A refused user keeps trying: one logged row per user and address in this time is enough.
REFUSAL_LOG_INTERVAL = 10 * 60


def unknown_code_error():
    return ValidationError(
        _("There is no subscriber with this code. Check the code on your bill and enter it again."),
        code="unknown_code",
    )


def _log(*, tenant, user, client_ip, code, outcome):
    logger.info("Subscriber code lookup %s: tenant=%s user=%s ip=%s", outcome, tenant.pk, user.pk, client_ip)
    SubscriberCodeLookup.objects.create(tenant=tenant, user=user, client_ip=client_ip, code=code[:40], outcome=outcome)


def _active_account(tenant, code):
    return (
        SubscriberAccount.objects.for_tenant(tenant).select_related("branch").filter(code=code, is_active=True).first()
    )


def look_up_account(*, tenant, user, code, client_ip=None):
    """The active account of ``tenant`` with subscriber code ``code``, or a ValidationError
    (unknown code, or too many codes)."""
    code = normalize_subscriber_code(code)
    if tenant.subscriber_code_pattern and not re.fullmatch(tenant.subscriber_code_pattern, code):
        raise unknown_code_error()  # decided without the database: nothing to count
    if code in held_codes(user, tenant):
        account = _active_account(tenant, code)
        if account is None:
            raise unknown_code_error()
        return account

    token = f"{tenant.pk}:{code}"
    parts = {"user": user.pk, "ip": client_ip}
    newly_counted = not ratelimit.was_counted(THROTTLE, token, **parts)
    if newly_counted:
        wait = ratelimit.retry_after(THROTTLE, **parts)
        if wait:
            if cache.add(f"readings:code-refusal-logged:{tenant.pk}:{user.pk}:{client_ip}", 1, REFUSAL_LOG_INTERVAL):
                _log(
                    tenant=tenant,
                    user=user,
                    client_ip=client_ip,
                    code=code,
                    outcome=SubscriberCodeLookup.Outcome.REFUSED,
                )
            else:
                logger.info("Subscriber code lookup refused: tenant=%s user=%s ip=%s", tenant.pk, user.pk, client_ip)
            raise ValidationError(ratelimit.retry_message(wait), code="throttled")
        ratelimit.hit_distinct(THROTTLE, token, **parts)

    account = _active_account(tenant, code)
    if newly_counted:
        outcome = SubscriberCodeLookup.Outcome.UNKNOWN if account is None else SubscriberCodeLookup.Outcome.NOT_HELD
        _log(tenant=tenant, user=user, client_ip=client_ip, code=code, outcome=outcome)
    if account is None:
        raise unknown_code_error()
    return account
