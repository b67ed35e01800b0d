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
    now = time.time()
    for counter in _counters(name, parts):
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
