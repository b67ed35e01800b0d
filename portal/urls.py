"""One URLconf for the shared portal and for every tenant.

Tenant pages are served under ``/<tenant-slug>/`` on the shared portal or at the root of a
tenant's own domain: TenantMiddleware moves the slug into the script prefix, so the patterns
below never mention it and ``reverse()`` adds it.
"""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("applications/", include("applications.urls")),
    path("my/", include("billing.urls")),
    path("readings/", include("readings.urls")),
    path("cabinet/", include("cabinet.urls")),
    path("removals/", include("removals.urls")),
    path("connections/", include("connections.urls")),
    path("admin/", admin.site.urls),
    path("dev/outbox/", views.dev_outbox, name="dev_outbox"),
    path("healthz/", views.healthz, name="healthz"),
    path("brands.css", views.brand_css, name="brand_css"),
    path("logo", views.tenant_logo, name="tenant_logo"),
]

handler400 = "portal.limits.bad_request"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
