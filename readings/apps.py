from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadingsConfig(AppConfig):
    """W1: citizens submit meter readings with photos; staff review, check on site and accept."""

    name = "readings"
    verbose_name = _("Citizen readings")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from applications import kinds
        from readings.kinds import METER_READINGS, METER_READINGS_TERM
        from readings.services import accept_readings, mark_lines_withdrawn

        kinds.register(
            kinds.Kind(
                code=METER_READINGS,
                label=_("Meter readings"),
                default_term=METER_READINGS_TERM,
                payload_model="readings.SubmittedReading",
                detail_template="readings/application_detail.html",
                # Reviewed line by line in its own admin: rejecting there closes the lines and the
                # on-site check, which a plain status change would leave open.
                admin_model="readings.ReadingsApplication",
                confirm=accept_readings,
                on_withdraw=mark_lines_withdrawn,
            )
        )
