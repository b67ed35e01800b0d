from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CabinetConfig(AppConfig):
    """W4 + W5: the legal-entity cabinet, everything a company does with its contracts."""

    name = "cabinet"
    verbose_name = _("Legal-entity cabinet")
    default_auto_field = "django.db.models.BigAutoField"
