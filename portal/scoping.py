"""The one scoping mechanism for tenant-owned rows.

Every tenant-owned model uses ``TenantQuerySet`` as its manager, and every page reaches its rows
through ``Model.objects.for_tenant(request.tenant)``, so the scoping is visible at the call site.
Object fetches go through ``get_scoped_or_404`` which takes the tenant (and the owner filter)
in the same query: an object of another tenant or another user is indistinguishable from a
missing one.
"""

from django.db import models
from django.http import Http404


class TenantQuerySet(models.QuerySet):
    def for_tenant(self, tenant):
        if tenant is None:
            # A tenant page reached without a tenant must show nothing, not everything.
            return self.none()
        return self.filter(tenant=tenant)


TenantManager = models.Manager.from_queryset(TenantQuerySet)


def get_scoped_or_404(queryset, tenant, **lookup):
    """Fetch one tenant-owned object; ``lookup`` carries the key and the owner condition."""
    if tenant is None:
        raise Http404
    try:
        return queryset.for_tenant(tenant).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
