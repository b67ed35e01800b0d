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
