"""Who holds a subscriber account, how a user proves it, and what a user who does not hold it may see.

A holder is a user on ``SubscriberAccount.users``: he sees the account page, its invoices and its
consumption. He becomes one by typing the account's access code (printed on its invoices) with
the subscriber code, or when staff confirm him in the admin; once state login exists, by a
matching personal identification number. Submitting readings for a code never makes anyone a
holder: a tenant or a relative may do that, and so may a stranger.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from meters.models import SubscriberAccount
from meters.models.accounts import new_access_code, normalize_access_code
from portal import ratelimit


def normalize_subscriber_code(value):
    return "".join((value or "").split())


def holds_account(user, account_id):
    if not getattr(user, "is_authenticated", False) or not account_id:
        return False
    return SubscriberAccount.users.through.objects.filter(subscriberaccount_id=account_id, user_id=user.pk).exists()


def applicant_holds_account(application):
    return holds_account(application.applicant, application.account_id)


def held_codes(user, tenant):
    """The subscriber codes of ``tenant`` that ``user`` holds."""
    return set(SubscriberAccount.objects.for_tenant(tenant).filter(users=user).values_list("code", flat=True))


def link_by_verified_number(*, tenant, user, details):
    """Make ``user`` a holder of every active account of ``tenant`` whose holder has the personal
    identification number a state login verified for him (issue #13: the ownership proof of the
    security issue). Typed numbers prove nothing. Returns the accounts added."""
    if details is None or not details.is_verified or not details.personal_id_number:
        return []
    if details.country != tenant.country_code:
        return []
    accounts = list(
        SubscriberAccount.objects.for_tenant(tenant)
        .filter(holder_id_number=details.personal_id_number, is_active=True)
        .exclude(users=user)
    )
    if accounts:
        user.subscriber_accounts.add(*accounts)
    return accounts


def on_identity_verified(sender, *, tenant, user, details, **kwargs):
    link_by_verified_number(tenant=tenant, user=user, details=details)


def prove_holding(*, tenant, user, code, access_code):
    """Add ``user`` to the holders of the active account ``code`` if ``access_code`` is its own.

    Returns the account, or None for an unknown account and a wrong access code alike: the caller
    shows one neutral error for both and counts the failure.
    """
    account = (
        SubscriberAccount.objects.for_tenant(tenant)
        .filter(code=normalize_subscriber_code(code), is_active=True)
        .first()
    )
    typed = normalize_access_code(access_code)
    # Compared in constant time, and against a throw-away code for an unknown account, so the
    # answer takes as long whether the account exists or not.
    expected = account.access_code if account is not None else new_access_code()
    if not typed or not constant_time_compare(typed, expected) or account is None:
        return None
    account.users.add(user)
    return account


# The parts of an address that name the flat: "m. 12" (mənzil), "кв. 12", "kv. 12", "xonadon 12",
# "apt. 12", "flat 12". The rest (locality, street, house) is what a visitor needs to recognise
# the right code, and is on the house's front door anyway.
FLAT_PART = re.compile(
    r"^\s*(m\.|mənzil|кв\.?|квартира|kv\.?|xonadon|apt\.?|apartment|flat)\s*\d", re.IGNORECASE | re.UNICODE
)


def mask_name(name):
    """ "Aysel Məmmədova" → "A. M."."""
    return " ".join(f"{word[0]}." for word in (name or "").split() if word[:1].isalnum())


def mask_address(address):
    """The address without the flat: "Bakı, Füzuli küç. 45, m. 12" → "Bakı, Füzuli küç. 45"."""
    parts = [part.strip() for part in (address or "").split(",")]
    return ", ".join(part for part in parts if part and not FLAT_PART.match(part))


def holder_as_seen_by(account, user, tenant):
    """(name, address) of the account's holder as ``user`` may see them at the subscriber-code step:
    in full for a holder or when the tenant shows them to everyone, masked otherwise."""
    if tenant.show_holder_details or holds_account(user, account.pk):
        return account.holder_name, account.address
    return mask_name(account.holder_name), mask_address(account.address)


PROOF_THROTTLE = "account_proof_failure"


def add_account_by_access_code(*, tenant, user, code, access_code, client_ip=None):
    """The "Add an account" use case: the account, with ``user`` now among its holders.

    Raises one neutral ValidationError for an unknown account, an inactive one and a wrong access
    code alike, and a "too many attempts" one once the user or his address used up the policy's
    failures; a throttled attempt is refused before anything is looked up.
    """
    wait = ratelimit.retry_after(PROOF_THROTTLE, user=user.pk, ip=client_ip)
    if wait:
        raise ValidationError(ratelimit.retry_message(wait), code="throttled")
    account = prove_holding(tenant=tenant, user=user, code=code, access_code=access_code)
    if account is None:
        ratelimit.hit(PROOF_THROTTLE, user=user.pk, ip=client_ip)
        raise ValidationError(
            _(
                "No account matches this subscriber code and access code. Check both on your latest invoice; "
                "if they are right, contact %(tenant)s."
            )
            % {"tenant": tenant.local_name},
            code="no_match",
        )
    return account
