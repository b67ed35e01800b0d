"""Names people type that the portal then writes into e-mails to other addresses (a full name in
the confirmation sent to the address given, an organization's name in an invitation): they must
not carry a link or an address, or the portal relays "pay at http://…" to anybody."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SCHEME_OR_WWW = re.compile(r"\S*://\S*|\bwww\.\S*", re.IGNORECASE)
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+")
# A dotted name ending in a top-level domain: "example.com", "t.me", "pay.example.co.uz", "сайт.рф".
_DOMAIN = re.compile(r"(?<![\w-])((?:[\w-]+\.)+)([a-z]{2,24}|рф|рус|бел|укр|қаз)(?![\w-])", re.IGNORECASE | re.UNICODE)
# Initials are dotted too: "Karimov A.Sh.", "J.R.R." stay allowed.
_INITIALS = re.compile(r"(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,2}")


def _looks_like_initials(labels, tld):
    text = labels + tld
    return bool(_INITIALS.fullmatch(text)) and all(part[:1].isupper() for part in text.split("."))


def link_in(value):
    """The part of ``value`` that is a URL, an e-mail address or a domain name, or None."""
    for pattern in (_SCHEME_OR_WWW, _EMAIL):
        match = pattern.search(value)
        if match:
            return match.group(0)
    for match in _DOMAIN.finditer(value):
        if not _looks_like_initials(match.group(1), match.group(2)):
            return match.group(0)
    return None


def validate_no_links(value):
    found = link_in(value or "")
    if found:
        raise ValidationError(
            _("Names cannot contain web addresses, e-mail addresses or domain names (“%(found)s”)."),
            code="link_in_name",
            params={"found": found},
        )


# -- tax numbers ------------------------------------------------------------------------------------

# Russia's INN: 10 digits for a company, 12 for a sole proprietor, the last one or two being check
# digits (Federal Tax Service order ММВ-7-6/435@, weights below); Azerbaijan's VÖEN 10 digits;
# Uzbekistan's STIR (INN) 9 digits.
TAX_NUMBER_LENGTHS = {"RU": (10, 12), "AZ": (10,), "UZ": (9,)}
_INN_10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _check_digit(digits, weights):
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def inn_checksum_ok(value):
    if len(value) == 10:
        return _check_digit(value, _INN_10) == int(value[9])
    if len(value) == 12:
        return _check_digit(value, _INN_11) == int(value[10]) and _check_digit(value, _INN_12) == int(value[11])
    return False


def clean_tax_number(value, country_code=None):
    """``value`` without spaces, checked by the rule of ``country_code`` (any of them when None: the
    organization is not yet tied to a country). Raises ValidationError naming the right lengths."""
    value = "".join(str(value).split())
    if country_code not in TAX_NUMBER_LENGTHS:
        if not value.isdigit() or not 9 <= len(value) <= 12:
            raise ValidationError(_("A tax number has 9 to 12 digits."), code="format")
        return value
    lengths = TAX_NUMBER_LENGTHS[country_code]
    if not value.isdigit() or len(value) not in lengths:
        messages = {
            "RU": _("An INN has 10 digits (a company) or 12 digits (a sole proprietor)."),
            "AZ": _("A VÖEN has 10 digits."),
            "UZ": _("A STIR (INN) has 9 digits."),
        }
        raise ValidationError(messages[country_code], code="format")
    if country_code == "RU" and not inn_checksum_ok(value):
        raise ValidationError(
            _("This INN is not valid: its check digits do not match. Check it against the contract."), code="checksum"
        )
    return value


def tax_number_help(country_code=None):
    return {
        "RU": _("The INN written in the contract: 10 digits for a company, 12 for a sole proprietor."),
        "AZ": _("The VÖEN written in the contract: 10 digits."),
        "UZ": _("The STIR (INN) written in the contract: 9 digits."),
    }.get(country_code, _("VÖEN, STIR or INN: 9 to 12 digits."))
