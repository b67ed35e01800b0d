"""What the form shows when the GIS has no answer: ValidationErrors, so a form adds them to its
errors like any other field error, in the reader's language."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# One message for an unknown registry number, a registration number that does not match it and a
# parcel of another district: a stranger probing numbers learns nothing about which part was wrong.
PARCEL_NOT_FOUND = _(
    "No property with this registry number and registration number was found in the chosen district. "
    "Check both numbers against the property extract."
)
NO_CENTRE_AVAILABLE = _(
    "No power centre near this property can supply the requested power now. "
    "The application can still be sent: the branch will tell you the conditions."
)
GIS_UNAVAILABLE = _("The GIS is not answering. Please try again in a few minutes.")


class GisLookupError(ValidationError):
    default_message = None
    default_code = None

    def __init__(self, message=None):
        super().__init__(message or self.default_message, code=self.default_code)


class ParcelNotFound(GisLookupError):
    default_message = PARCEL_NOT_FOUND
    default_code = "parcel_not_found"


class NoCentreAvailable(GisLookupError):
    default_message = NO_CENTRE_AVAILABLE
    default_code = "no_centre_available"


class GisUnavailable(GisLookupError):
    default_message = GIS_UNAVAILABLE
    default_code = "gis_unavailable"
