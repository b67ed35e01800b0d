"""One rate limiter with named policies, over the Django cache.

A policy counts events (a wrong status-check pair, a failed contract link) in a fixed window that
opens with the first event: after ``limit`` events the action is refused until ``window`` seconds
after that first one. Each policy names the request parts it counts by; every tuple in ``keys``
is a counter of its own, and any one of them reaching the limit refuses. A part that is missing
(no client address) skips that counter.

In production the cache is Redis (REDIS_URL), shared by every web process, and ``incr`` is atomic
there; on the embedded default (one process, LocMemCache) it is exact as well. Counting in the
cache, not the database, keeps a flood of wrong tries from writing rows.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Policy:
    limit: int
    window: int  # seconds, from the first counted event
    keys: tuple[tuple[str, ...], ...]  # each tuple of part names is one counter


POLICIES = {
    # The public status check (applications): wrong number + code pairs, per tenant and address,
    # so that guessing pairs is slow and one visitor's mistakes do not pause another tenant's page.
    "status_check": Policy(limit=10, window=10 * 60, keys=(("tenant", "ip"),)),
    # Contract linking (cabinet): failed pairs, per user and, separately, per address, so that
    # neither a second account nor a second address gives an attacker more tries.
    "contract_link_failure": Policy(limit=5, window=15 * 60, keys=(("user",), ("ip",))),
    # "Add an account" (billing): wrong subscriber code + access code pairs, per user and per
    # address. 25**10 access codes and five tries an hour: guessing one is out of reach.
    "account_proof_failure": Policy(limit=5, window=60 * 60, keys=(("user",), ("ip",))),
    # The W1 subscriber-code step (readings): distinct codes the user does not hold, per user and
    # per address (counted with hit_distinct), so the step cannot list who lives where.
    "subscriber_code_lookup": Policy(limit=5, window=60 * 60, keys=(("user",), ("ip",))),
}


def _counters(name, parts):
    policy = POLICIES[name]
    for fields in policy.keys:
        values = [parts.get(field) for field in fields]
        if any(value is None or value == "" for value in values):
            continue
        yield (
            "ratelimit:"
            + name
            + ":"
            + ":".join(f"{field}={value}" for field, value in zip(fields, values, strict=True))
        )


def retry_after(name, **parts):
    """Seconds until the action is allowed again for these parts; 0 when it is allowed now."""
    policy = POLICIES[name]
    counters = list(_counters(name, parts))
    values = cache.get_many([key for counter in counters for key in (counter, f"{counter}:since")])
    now = time.time()
    waits = [0]
    for counter in counters:
        if values.get(counter, 0) >= policy.limit:
            since = values.get(f"{counter}:since", now)
            waits.append(max(1, math.ceil(since + policy.window - now)))
    return max(waits)


def is_limited(name, **parts):
    return retry_after(name, **parts) > 0


def hit(name, **parts):
    """Count one event for these parts."""
    window = POLICIES[name].window
    for counter in _counters(name, parts):
        _hit_counter(counter, window)


def _seen_key(counter, token):
    # Hashed: the token may be a subscriber code, which has no place in a cache key.
    return f"{counter}:seen:{hashlib.sha256(token.encode()).hexdigest()[:32]}"


def was_counted(name, token, **parts):
    """Whether ``token`` was already counted (by ``hit_distinct``) in every counter of these parts."""
    counters = list(_counters(name, parts))
    if not counters:
        return False
    keys = [_seen_key(counter, token) for counter in counters]
    return len(cache.get_many(keys)) == len(keys)


def hit_distinct(name, token, **parts):
    """Count one event for these parts unless ``token`` was counted in the counter's window already:
    the policy then limits distinct tokens (codes looked up), not attempts."""
    window = POLICIES[name].window
    for counter in _counters(name, parts):
        if cache.add(_seen_key(counter, token), 1, window):
            _hit_counter(counter, window)


def _hit_counter(counter, window):
    now = time.time()
    cache.add(f"{counter}:since", now, window)
    cache.add(counter, 0, window)
    try:
        cache.incr(counter)
    except ValueError:  # expired between add and incr: this event opens a new window
        cache.set(counter, 1, window)
        cache.set(f"{counter}:since", now, window)


def retry_message(seconds):
    """ "Too many attempts. Try again in N minutes." for a wait of ``seconds``."""
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many attempts. Try again in %(minutes)d minute.",
        "Too many attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
