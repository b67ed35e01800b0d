from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemovalsConfig(AppConfig):
    """W3: gas meter removal and state verification — cases, custody chain, clocks, supply
    suspension, acts, fees and damages."""

    name = "removals"
    verbose_name = _("Meter removals")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from applications import kinds
        from removals.kinds import METER_REMOVAL, METER_REMOVAL_TERM, STAGES

        kinds.register(
            kinds.Kind(
                code=METER_REMOVAL,
                label=_("Meter removal and verification"),
                default_term=METER_REMOVAL_TERM,
                payload_model="removals.MeterRemoval",
                detail_template="removals/application_detail.html",
                # Staff move the case stage by stage in its own admin.
                admin_model="removals.MeterRemoval",
                stages=STAGES,
            )
        )
