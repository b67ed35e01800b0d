"""Sending a grid-connection request: the quote and the distance computed again on the server
(the page's numbers are never trusted), the phone confirmed, then one transaction that registers
the application, freezes the quote and the location on it, enters the first stage and writes the
SMS and e-mail to the outbox."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applications import clocks
from applications.services import notify_applicant, open_application
from connections import gis, quotes
from connections.fees import ApplicantKind, QuoteInputs, Voltage
from connections.kinds import GRID_CONNECTION, Stages
from connections.models import ConnectionRequest
from connections.services.phones import confirmed_at

REGISTERED_TEMPLATE = "connections_registered"
# The GIS measures from a 0.4 kV centre: the only network this service connects from.
GIS_VOLTAGE = {Voltage.LOW: "0.4", Voltage.MEDIUM: "10"}


@dataclass(frozen=True)
class ObjectData:
    district: object  # a District of the tenant
    registry_number: str
    registration_number: str


def quote_inputs(*, applicant_kind, object_kind, building_has_general_conditions, phase, power_kw, term):
    return QuoteInputs(
        applicant_kind=applicant_kind,
        object_kind=object_kind,
        phase=phase,
        voltage=Voltage.LOW,
        power_kw=Decimal(power_kw),
        term=term,
        building_has_general_conditions=bool(building_has_general_conditions),
    )


def locate(tenant, inputs, place):
    """The Location of the object, or None when no centre near it can supply the power (the
    request may still be sent: the branch gives the conditions). ParcelNotFound and
    GisUnavailable are raised for the form."""
    try:
        return gis.locate(
            tenant,
            district=place.district,
            registry_number=place.registry_number,
            registration_number=place.registration_number,
            power_kw=inputs.power_kw,
            voltage=GIS_VOLTAGE[inputs.voltage],
        )
    except gis.NoCentreAvailable:
        return None


def existing_request(tenant, applicant, idempotency_key):
    """The application this form already sent (a double click, a retry), or None."""
    return (
        ConnectionRequest.objects.for_tenant(tenant)
        .select_related("application")
        .filter(application__applicant=applicant, application__idempotency_key=idempotency_key)
        .first()
    )


def submit_connection_request(
    *, tenant, applicant, details, inputs, place, phone, email, idempotency_key, language, today=None
):
    """Register the request; returns ``(application, created)``. Raises ValidationError (the
    quote not covered, the parcel not found, the phone not confirmed) with nothing saved."""
    existing = existing_request(tenant, applicant, idempotency_key)
    if existing is not None:
        return existing.application, False
    if inputs.applicant_kind == ApplicantKind.ENTREPRENEUR and not details.entrepreneur_tax_number:
        raise ValidationError(
            _("An entrepreneur's request needs his tax number: add it to your personal details."),
            code="tax_number_missing",
        )
    verified_at = confirmed_at(tenant=tenant, user=applicant, phone=phone)
    if verified_at is None:
        raise ValidationError(_("Confirm your mobile number with the SMS code first."), code="phone_not_confirmed")
    quote = quotes.quote_for(tenant, inputs, on=today)
    location = locate(tenant, inputs, place)
    with transaction.atomic():
        application, created = open_application(
            tenant=tenant,
            kind_code=GRID_CONNECTION,
            applicant=applicant,
            idempotency_key=idempotency_key,
            language=language,
            branch=place.district.branch,
            contact_phone=phone,
            contact_email=email,
        )
        if not created:
            return application, False
        ConnectionRequest.objects.create(
            tenant=tenant,
            application=application,
            applicant_kind=inputs.applicant_kind,
            entrepreneur_tax_number=(
                details.entrepreneur_tax_number if inputs.applicant_kind == ApplicantKind.ENTREPRENEUR else ""
            ),
            object_kind=inputs.object_kind,
            building_has_general_conditions=inputs.building_has_general_conditions,
            phase=inputs.phase,
            voltage=inputs.voltage,
            power_kw=inputs.power_kw,
            term=inputs.term,
            district=place.district,
            registry_number=place.registry_number.strip(),
            registration_number=place.registration_number.strip(),
            parcel=location.parcel if location is not None else None,
            quote=quote.as_frozen(),
            quote_total=quote.total,
            fee_schedule_id=quote.schedule_id,
            distance_m=location.distance_m if location is not None else None,
            centre=location.centre if location is not None else None,
            centre_code=location.centre_code if location is not None else "",
            centre_name=location.centre_name if location is not None else "",
            distance_method=location.method if location is not None else "",
            distance_approximate=location.approximate if location is not None else False,
            gis_data_version=location.data_version if location is not None else "",
            phone_verified_at=verified_at,
        )
        clocks.enter_stage(application=application, stage=Stages.REGISTERED, actor=applicant)
        notify_applicant(
            application,
            template=REGISTERED_TEMPLATE,
            context={"quote": quote, "district": place.district.name},
        )
    return application, True
