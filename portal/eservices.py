"""The e-services a tenant home lists, per workflow, in the words of the utilities' own lists."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.models import Workflow


@dataclass(frozen=True)
class EService:
    workflow: str
    title: Promise
    description: Promise
    url_name: str
    audience: Promise

    @property
    def url(self):
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


CATALOGUE = [
    EService(
        Workflow.METER_READINGS, _("Submission of meter readings by household consumers and forming of the invoice"),
        _("Enter your subscriber code, the readings of your meters with a photo, and receive the invoice."),
        "readings:submit_readings", _("Citizens"),
    ),
    EService(
        Workflow.GRID_CONNECTION, _("Connection of a house or apartment to the electricity grid (up to 150 kW)"),
        _("Calculate the connection fee and send a connection request."),
        "connections:apply", _("Citizens and entrepreneurs"),
    ),
    EService(
        Workflow.METER_REMOVAL, _("Removal, verification and reinstallation of a meter"),
        _("Follow the removal of your meter, its verification and the acts."),
        "removals:my_cases", _("Citizens"),
    ),
    EService(
        Workflow.LEGAL_CABINET, _("Legal consumer cabinet"),
        _("Readings, billing history, payments, contract, limits and requests of your organisation."),
        "cabinet:home", _("Legal entities"),
    ),
    EService(
        Workflow.CONTRACT_CABINET, _("Personal cabinet of the subscriber"),
        _("Link your contracts, submit cold-water readings and hot-water volumes, see the archive."),
        "cabinet:home", _("Legal entities"),
    ),
]


def eservices_for(tenant):
    return [service for service in CATALOGUE if tenant.offers(service.workflow)]
