from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetersConfig(AppConfig):
    name = "meters"
    verbose_name = _("Meters")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts.identity.signin import identity_verified
        from meters.holders import on_identity_verified

        identity_verified.connect(on_identity_verified, dispatch_uid="meters.link_by_verified_number")
