"""Response headers every page gets: Permissions-Policy, and ``Cache-Control: private, no-store``
on whatever a logged-in user is shown (his pages, his downloads) so that neither a shared proxy nor
the browser's cache keeps a copy of personal data. The Content-Security-Policy is django-csp's."""

from django.conf import settings
from django.utils.cache import patch_cache_control

NO_STORE = {"private": True, "no_store": True}


def permissions_policy(features):
    """``{"camera": [], "geolocation": ["self"]}`` → ``camera=(), geolocation=(self)``."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in features.items())


def no_store(response):
    """Mark a personal response: never kept by a shared or a browser cache."""
    patch_cache_control(response, **NO_STORE)
    return response


class PrivacyHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = permissions_policy(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request):
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        user = getattr(request, "user", None)
        # A view that chose its own caching (the public brands.css) keeps it.
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            no_store(response)
        return response
