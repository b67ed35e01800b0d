"""The active tenants, held per process so that resolving ``request.tenant`` costs no query.

Tenants are a handful of rows that staff edit a few times a year, and every request needs one, so
each process keeps a snapshot of all active tenants (by domain and by slug). It is dropped:

- at once in the process that saves or deletes a tenant (``post_save`` / ``post_delete``, and again
  when that transaction commits, so a request in between cannot keep the old row);
- in every other process (other gunicorn workers, Celery) after ``TTL_SECONDS``, or at once for a
  slug it does not know yet (a tenant just created elsewhere), at most once a second. A short TTL rather
  than a version key in the shared cache: a version check would cost a cache round trip on every
  request, which is the cost this module removes, while a renamed domain or a deactivated tenant
  showing for a few more seconds in another worker is harmless (one reload a process per TTL).
"""

import copy
import time

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from portal.models import Tenant

TTL_SECONDS = 10
# A tenant created in another process is found at once under its slug: an unknown slug reloads the
# snapshot, at most once a second per process (so random addresses cannot cost a query each). Hosts
# are not: the shared portal's own host is never a tenant's, and would reload every second.
MISS_RELOAD_SECONDS = 1

_snapshot = None  # (loaded at, {domain: tenant}, {slug: tenant})


def _load():
    global _snapshot
    tenants = list(Tenant.objects.filter(is_active=True))
    _snapshot = (
        time.monotonic(),
        {t.domain.lower(): t for t in tenants if t.domain},
        {t.slug: t for t in tenants},
    )
    return _snapshot


def _current():
    snapshot = _snapshot
    if snapshot is None or time.monotonic() - snapshot[0] > TTL_SECONDS:
        snapshot = _load()
    return snapshot


def _fresh(tenant):
    # A copy per request: a view that sets an attribute on request.tenant must not change it for the next one.
    return copy.copy(tenant) if tenant is not None else None


def by_domain(host):
    return _fresh(_current()[1].get(host))


def by_slug(slug):
    snapshot = _current()
    found = snapshot[2].get(slug)
    if found is None and time.monotonic() - snapshot[0] > MISS_RELOAD_SECONDS:
        found = _load()[2].get(slug)
    return _fresh(found)


def clear():
    global _snapshot
    _snapshot = None


@receiver(post_save, sender=Tenant, dispatch_uid="tenant_cache_saved")
@receiver(post_delete, sender=Tenant, dispatch_uid="tenant_cache_deleted")
def _tenant_changed(sender, **kwargs):
    clear()
    transaction.on_commit(clear)
