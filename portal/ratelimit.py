"""One rate limiter with named policies, over the Django cache.

A policy counts events (a wrong status-check pair, a failed contract link) in a fixed window that
opens with the first event: after ``limit`` events the action is refused until ``window`` seconds
after that first one. Each policy names the request parts it counts by; every tuple in ``keys``
is a counter of its own, and any one of them reaching the limit refuses. A part that is missing
(no client address) skips that counter.

In production the cache is Redis (REDIS_URL), shared by every web process, and ``incr`` is atomic
there; on the embedded default (one process, LocMemCache) it is exact as well. Counting in the
cache, not the database, keeps a flood of wrong tries from writing rows.

``retry_after`` then ``hit`` is check-then-act: concurrent requests all pass the check before any
of them counts. Where that matters, ``attempt`` counts and checks in one step (``incr`` returns
the new count) and the caller gives back with ``refund`` what turned out not to count, such as a
successful try.
"""

import hashlib
import math
import re
import time
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Policy:
    limit: int
    window: int  # seconds, from the first counted event
    keys: tuple[tuple[str, ...], ...]  # each tuple of part names is one counter
    # A counter's own limit where it differs from ``limit`` (an address shared by an office).
    limits: dict = field(default_factory=dict)

    def limit_of(self, fields):
        return self.limits.get(fields, self.limit)


POLICIES = {
    # The public status check (applications): wrong number + code pairs, per tenant and address,
    # so that guessing pairs is slow and one visitor's mistakes do not pause another tenant's page.
    "status_check": Policy(limit=10, window=10 * 60, keys=(("tenant", "ip"),)),
    # Contract linking (cabinet): failed pairs, per user and, separately, per address, so that
    # neither a second account nor a second address gives an attacker more tries.
    # The address counts the failures of everybody behind it (an office, a NAT), so it allows more:
    # one company's failures must not refuse another company's correct link from the same office.
    "contract_link_failure": Policy(limit=5, window=15 * 60, keys=(("user",), ("ip",)), limits={("ip",): 20}),
    # E-mails anybody can make the portal send to any address (accounts): per recipient, so that an
    # inbox cannot be flooded, and per sender, so that one visitor cannot relay to many inboxes.
    # Over the limit the message is silently not sent: the page stays the same.
    "password_reset_mail": Policy(limit=3, window=60 * 60, keys=(("recipient",), ("ip",)), limits={("ip",): 10}),
    "registration_mail": Policy(limit=3, window=60 * 60, keys=(("recipient",), ("ip",)), limits={("ip",): 10}),
    # Invitations: an owner over his own limit is told so; an address over its limit silently
    # gets no more (telling would reveal that others invited it).
    "invitation_sender": Policy(limit=20, window=60 * 60, keys=(("user",),)),
    "invitation_mail": Policy(limit=3, window=60 * 60, keys=(("recipient",),)),
    # "Add an account" (billing): wrong subscriber code + access code pairs, per user and per
    # address. 25**10 access codes and five tries an hour: guessing one is out of reach.
    "account_proof_failure": Policy(limit=5, window=60 * 60, keys=(("user",), ("ip",))),
    # The W1 subscriber-code step (readings): distinct codes the user does not hold, per user and
    # per address (counted with hit_distinct), so the step cannot list who lives where.
    "subscriber_code_lookup": Policy(limit=5, window=60 * 60, keys=(("user",), ("ip",))),
    # One-time SMS codes of the W2 form (connections): a new code to the same number once a minute,
    # and a few codes an hour per user and per address, so the form cannot be used to flood a
    # phone or run up the utility's SMS bill.
    "sms_code_resend": Policy(limit=1, window=60, keys=(("user", "phone"),)),
    "sms_code_send": Policy(limit=5, window=60 * 60, keys=(("user",), ("ip",), ("phone",)), limits={("ip",): 20}),
}


_PLAIN = re.compile(r"[A-Za-z0-9.:_-]{1,64}")


def _key_part(value):
    # E-mail addresses and the like are user input: hashed, a key stays short and printable.
    value = str(value)
    return value if _PLAIN.fullmatch(value) else "h" + hashlib.sha256(value.encode()).hexdigest()[:32]


def _counters(name, parts):
    """(cache key, part names) of each counter these parts fill."""
    policy = POLICIES[name]
    for fields in policy.keys:
        values = [parts.get(field) for field in fields]
        if any(value is None or value == "" for value in values):
            continue
        key = (
            "ratelimit:"
            + name
            + ":"
            + ":".join(f"{field}={_key_part(value)}" for field, value in zip(fields, values, strict=True))
        )
        yield key, fields


def retry_after(name, **parts):
    """Seconds until the action is allowed again for these parts; 0 when it is allowed now."""
    policy = POLICIES[name]
    counters = list(_counters(name, parts))
    values = cache.get_many([key for counter, _fields in counters for key in (counter, f"{counter}:since")])
    now = time.time()
    waits = [0]
    for counter, fields in counters:
        if values.get(counter, 0) >= policy.limit_of(fields):
            since = values.get(f"{counter}:since", now)
            waits.append(max(1, math.ceil(since + policy.window - now)))
    return max(waits)


def is_limited(name, **parts):
    return retry_after(name, **parts) > 0


def _count(counter, window, now):
    """Add one to ``counter`` and return its new value, opening the window if there is none."""
    cache.add(f"{counter}:since", now, window)
    cache.add(counter, 0, window)
    try:
        return cache.incr(counter)
    except ValueError:  # expired between add and incr: this event opens a new window
        cache.set(counter, 1, window)
        cache.set(f"{counter}:since", now, window)
        return 1


def hit(name, **parts):
    """Count one event for these parts."""
    window = POLICIES[name].window
    now = time.time()
    for counter, _fields in _counters(name, parts):
        _count(counter, window, now)


def attempt(name, **parts):
    """Count one attempt and check it in the same step: 0 when it may go ahead (and it is
    counted), else the seconds to wait (and it is not counted).

    Each counter's ``incr`` is atomic and returns its new value, so of any number of concurrent
    attempts at most the limit see a count within it. A refused attempt gives its counts back;
    an attempt that turns out not to count (a success) is given back with ``refund``."""
    policy = POLICIES[name]
    now = time.time()
    counted, wait = [], 0
    for counter, fields in _counters(name, parts):
        counted.append(counter)
        if _count(counter, policy.window, now) > policy.limit_of(fields):
            since = cache.get(f"{counter}:since", now)
            wait = max(wait, 1, math.ceil(since + policy.window - now))
    if wait:
        _give_back(counted)
    return wait


def refund(name, **parts):
    """Give back an attempt counted by ``attempt`` that did not count after all."""
    _give_back([counter for counter, _fields in _counters(name, parts)])


def _give_back(counters):
    for counter in counters:
        try:
            cache.decr(counter)
        except ValueError:  # the window closed meanwhile: nothing left to give back
            pass


def _seen_key(counter, token):
    # Hashed: the token may be a subscriber code, which has no place in a cache key.
    return f"{counter}:seen:{hashlib.sha256(token.encode()).hexdigest()[:32]}"


def was_counted(name, token, **parts):
    """Whether ``token`` was already counted (by ``hit_distinct``) in every counter of these parts."""
    counters = [counter for counter, _fields in _counters(name, parts)]
    if not counters:
        return False
    keys = [_seen_key(counter, token) for counter in counters]
    return len(cache.get_many(keys)) == len(keys)


def hit_distinct(name, token, **parts):
    """Count one event for these parts unless ``token`` was counted in the counter's window already:
    the policy then limits distinct tokens (codes looked up), not attempts."""
    window = POLICIES[name].window
    now = time.time()
    for counter, _fields in _counters(name, parts):
        if cache.add(_seen_key(counter, token), 1, window):
            _count(counter, window, now)


def retry_message(seconds):
    """ "Too many attempts. Try again in N minutes." for a wait of ``seconds``."""
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many attempts. Try again in %(minutes)d minute.",
        "Too many attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
