from django.http import HttpResponsePermanentRedirect
from django.urls import get_script_prefix, set_script_prefix
from django.utils import translation
from django.utils.cache import patch_vary_headers

from portal import tenant_cache

# First path segments that belong to the shared portal and are never tenant slugs.
RESERVED_SEGMENTS = frozenset({"admin", "accounts", "static", "media", "dev", "i18n", "healthz", "favicon.ico"})
LANGUAGE_SESSION_KEY = "abonent_language"


class TenantMiddleware:
    """Resolves ``request.tenant`` once per request, from the host or the first path segment,
    out of the per-process snapshot of portal.tenant_cache (no query on a cached request).

    On the shared portal (``/azersu/...``) the slug is moved from the path into the script
    prefix, so the one URLconf serves both ways and ``reverse()`` produces ``/azersu/...`` here
    and bare paths on a tenant's own domain.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        host = request.get_host().rsplit(":", 1)[0].lower()
        segment = request.path_info.lstrip("/").split("/", 1)[0]
        tenant = tenant_cache.by_domain(host)
        request.tenant = tenant
        if tenant is not None:
            return self.get_response(request)

        tenant = tenant_cache.by_slug(segment) if segment and segment not in RESERVED_SEGMENTS else None
        if tenant is None:
            return self.get_response(request)
        if request.path_info == f"/{segment}":
            return HttpResponsePermanentRedirect(request.get_full_path().replace(f"/{segment}", f"/{segment}/", 1))
        request.tenant = tenant
        request.path_info = request.path_info[len(segment) + 1 :]
        previous = get_script_prefix()
        set_script_prefix(f"{request.META.get('SCRIPT_NAME', '').rstrip('/')}/{segment}/")
        try:
            return self.get_response(request)
        finally:
            set_script_prefix(previous)


def supported(code):
    return code if code in translation.trans_real.get_languages() else None


class LanguageMiddleware:
    """Chooses the page language: the switcher's choice (session), the user's profile, the
    language cookie, the tenant's default, then the browser's Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        user = getattr(request, "user", None)
        tenant = getattr(request, "tenant", None)
        language = (
            supported(request.session.get(LANGUAGE_SESSION_KEY))
            or (supported(user.preferred_language) if user and user.is_authenticated else None)
            or supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
            or (supported(tenant.default_language) if tenant else None)
            or translation.get_language_from_request(request)
        )
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Accept-Language", "Cookie"])
        return response
