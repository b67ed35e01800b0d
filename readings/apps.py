from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadingsConfig(AppConfig):
    """W1: citizens submit meter readings with photos; staff review, check on site and accept."""

    name = "readings"
    verbose_name = _("Citizen readings")
    default_auto_field = "django.db.models.BigAutoField"
