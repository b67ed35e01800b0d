from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CabinetConfig(AppConfig):
    """W4 + W5: the legal-entity cabinet, everything a company does with its contracts."""

    name = "cabinet"
    verbose_name = _("Legal-entity cabinet")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from applications import kinds
        from cabinet.kinds import REQUEST_TERM, Code
        from cabinet.services import requests

        # Employee lists have no "confirm and apply": they are confirmed in their own two steps
        # (received, then confirmed), by the actions of the requests admin.
        confirmers = {
            Code.LIMIT_CHANGE: requests.confirm_limit_change,
            Code.REQUISITES_CHANGE: requests.confirm_requisites_change,
            Code.CLAIM: requests.confirm_claim,
        }
        payloads = {
            Code.LIMIT_CHANGE: "cabinet.LimitChangeRequest",
            Code.REQUISITES_CHANGE: "cabinet.RequisitesChange",
            Code.CLAIM: "cabinet.Claim",
            Code.EMPLOYEE_LIST: "cabinet.EmployeeList",
        }
        for code in Code:
            kinds.register(
                kinds.Kind(
                    code=code.value,
                    label=code.label,
                    default_term=REQUEST_TERM,
                    payload_model=payloads[code],
                    admin_model="cabinet.RequestApplication",
                    confirm=confirmers.get(code),
                )
            )
