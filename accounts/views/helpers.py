from django.conf import settings
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default=None):
    """The ``next`` page from the query or form, if it stays on this site; else ``default``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def after_login_url(request, next_url=None):
    return next_url or resolve_url(settings.LOGIN_REDIRECT_URL)


def region_of(request):
    """Phone numbers typed without a country code are read as numbers of the tenant's country."""
    tenant = getattr(request, "tenant", None)
    return tenant.country_code if tenant else None
