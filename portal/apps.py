from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    default = True
    name = "portal"
    verbose_name = _("Portal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal import tenant_cache  # noqa: F401 -- connects the signals that drop the tenant snapshot


class PortalAdminConfig(admin_apps.AdminConfig):
    """The admin, served by our OTP admin site."""

    default = False
    default_site = "portal.admin_site.PortalAdminSite"
