from django.conf import settings
from django.contrib import messages
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from accounts.models import IdentityProvider, OrganizationMembership
from portal.models import Workflow

CABINET_WORKFLOWS = (Workflow.LEGAL_CABINET, Workflow.CONTRACT_CABINET)


def safe_next(request, default=None):
    """The ``next`` page from the query or form, if it stays on this site; else ``default``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def after_login_url(request, next_url=None):
    """``next``, else the cabinet for a member of an organization on a tenant with a legal-entity
    cabinet (W4, W5: he logs in to work on his contracts), else the home page."""
    if next_url:
        return next_url
    tenant = getattr(request, "tenant", None)
    if (
        tenant is not None
        and any(tenant.offers(workflow) for workflow in CABINET_WORKFLOWS)
        and OrganizationMembership.objects.filter(user=request.user).exists()
    ):
        try:
            return reverse("cabinet:home")
        except NoReverseMatch:
            pass
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def logged_in(request):
    """Tell the user the login worked (the page he lands on may look the same as before)."""
    messages.success(request, _("You are logged in."))


def region_of(request):
    """Phone numbers typed without a country code are read as numbers of the tenant's country."""
    tenant = getattr(request, "tenant", None)
    return tenant.country_code if tenant else None


def providers_for(request):
    """The state logins the tenant offers, for the login page's buttons."""
    tenant = getattr(request, "tenant", None)
    if tenant is None:
        return []
    return list(IdentityProvider.objects.for_tenant(tenant).filter(is_active=True).order_by("label"))
