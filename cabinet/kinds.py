"""The application kinds of the W4 requests, as the engine's registry knows them (registered in
CabinetConfig.ready())."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Code(models.TextChoices):
    LIMIT_CHANGE = "limit_change", _("Limit change")
    REQUISITES_CHANGE = "requisites_change", _("Change of bank requisites")
    CLAIM = "claim", _("Application or claim")
    EMPLOYEE_LIST = "employee_list", _("Employee list")


REQUEST_KINDS = tuple(Code)
# The term the engine gave every kind staff had not set up; Uzbekenergo publishes none for these
# requests, so staff set the real one per kind in the admin (ApplicationKind.due_working_days).
REQUEST_TERM = 10
