import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# How people of each tenant country write a mobile number on a form (the national format they
# know from their SIM card); other regions fall back to phonenumbers' own example number.
NATIONAL_EXAMPLES = {"AZ": "050 123 45 67", "RU": "8 912 123-45-67", "UZ": "90 123 45 67"}
DEFAULT_REGION = "AZ"


def phone_examples(region=None):
    """(national, international) spellings of an example mobile number of the region."""
    region = (region or DEFAULT_REGION).upper()
    national = NATIONAL_EXAMPLES.get(region)
    if national:
        number = phonenumbers.parse(national, region)
    else:
        number = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
        if number is None:
            return phone_examples(DEFAULT_REGION)
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return national, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_hint(region=None):
    national, international = phone_examples(region)
    return _("With or without the country code, e.g. %(national)s or %(international)s.") % {
        "national": national,
        "international": international,
    }


def _invalid(region):
    national, international = phone_examples(region)
    return ValidationError(
        _("Enter a valid phone number, e.g. %(national)s or %(international)s."),
        code="invalid_phone",
        params={"national": national, "international": international},
    )


def normalize_phone(value, region=None):
    """Parse a phone number as typed and return it in E.164, or raise ValidationError.

    A number typed without a country code ("050 123 45 67", "8 912 123-45-67") is read as a
    number of `region`, the tenant's country."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise _invalid(region) from None
    if not phonenumbers.is_valid_number(number):
        raise _invalid(region)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_e164(value):
    if value and normalize_phone(value) != value:
        raise ValidationError(_("Store the phone number in international format, e.g. +994501234567."))
