import mimetypes
import re

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from portal.eservices import eservices_for
from portal.middleware import LANGUAGE_SESSION_KEY
from portal.models import Notification, Tenant

BRAND_SLUG = re.compile(r"[a-z][a-z0-9-]{1,40}")
BRAND_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def home(request):
    """The shared portal lists the utilities; a tenant's home lists its e-services."""
    if request.tenant is None:
        tenants = Tenant.objects.filter(is_active=True)
        return render(request, "portal/home.html", {"tenants": tenants})
    return render(request, "portal/tenant_home.html", {"eservices": eservices_for(request.tenant)})


@require_POST
def set_language(request):
    """The language switcher: remembered in the session, the cookie and the user's profile."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language not in dict(settings.LANGUAGES):
        return response
    request.session[LANGUAGE_SESSION_KEY] = language
    if request.user.is_authenticated and request.user.preferred_language != language:
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    translation.activate(language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE, httponly=True,
    )
    return response


def dev_outbox(request):
    """Development only: every message the portal has sent, so the demo can show them."""
    if not settings.DEV_OUTBOX:
        raise Http404
    notifications = Notification.objects.select_related("tenant").order_by("-created_at")
    channel = request.GET.get("channel", "")
    status = request.GET.get("status", "")
    if channel in Notification.Channel.values:
        notifications = notifications.filter(channel=channel)
    if status in Notification.Status.values:
        notifications = notifications.filter(status=status)
    return render(
        request,
        "portal/dev_outbox.html",
        {
            "notifications": notifications[:200],
            "channels": Notification.Channel.choices,
            "statuses": Notification.Status.choices,
            "channel": channel,
            "status": status,
        },
    )


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def brand_css(request):
    """Each utility's colour as a class (``.tenant-azersu { --brand: … }``): a stylesheet, since the
    Content-Security-Policy allows no inline style. Public and briefly cached (the same for everyone);
    a row that fails the model's validators (they run in forms, not on save) is left out."""
    rules = (
        f".tenant-{slug} {{ --brand: {colour}; }}\n"
        for slug, colour in Tenant.objects.order_by("slug").values_list("slug", "brand_colour")
        if BRAND_SLUG.fullmatch(slug) and BRAND_COLOUR.fullmatch(colour)
    )
    response = HttpResponse("".join(rules), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


def tenant_logo(request):
    """The tenant's logo, read from media storage (the local disk or the shared object store) so
    that pages link it under our own origin whatever the storage: the Content-Security-Policy
    allows images from 'self' only, and the object store need not be reachable from browsers.
    Public and briefly cached, like brands.css."""
    tenant = request.tenant
    if tenant is None or not tenant.logo:
        raise Http404
    try:
        handle = tenant.logo.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    content_type = mimetypes.guess_type(tenant.logo.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=300"
    return response
