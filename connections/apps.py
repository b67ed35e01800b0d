from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConnectionsConfig(AppConfig):
    """W2: grid connection requests with the fee shown before sending, the GIS distance and the
    branch's stages through to connection."""

    name = "connections"
    verbose_name = _("Connections")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from applications import kinds
        from connections.kinds import GRID_CONNECTION, STAGES
        from connections.models.requests import HOUSEHOLD_TERM_DAYS

        kinds.register(
            kinds.Kind(
                code=GRID_CONNECTION,
                label=_("Grid connection"),
                # A provisional due date at registration; the real term runs from the payment
                # (the "paid" stage's clock), and due_on follows the running stage.
                default_term=HOUSEHOLD_TERM_DAYS,
                term_starts="payment",
                payload_model="connections.ConnectionRequest",
                detail_template="connections/application_detail.html",
                admin_model="connections.ConnectionApplication",
                stages=STAGES,
            )
        )
