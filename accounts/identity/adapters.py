"""The interface of a state login, whatever its protocol: ``begin`` sends the browser to the
provider, ``complete`` checks its answer and returns the verified identity. Tokens never leave
``complete``: the portal keeps the claims it needs and forgets the tokens."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


class ProviderUnavailable(Exception):
    """The provider does not answer (down, a timeout, a broken discovery document)."""


class LoginRefused(Exception):
    """The provider's answer failed a check (state, code, signature, audience, expiry) or the
    user cancelled. ``str()`` is the message shown to the user; ``reason`` is for the log."""

    def __init__(self, message, reason=""):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class VerifiedIdentity:
    """What a provider asserted about the person, in our field names (the provider's claim
    mapping says which claim carries each)."""

    subject: str
    email: str = ""
    email_verified: bool = False
    given_name: str = ""
    surname: str = ""
    patronymic: str = ""
    personal_id_number: str = ""
    birth_date: datetime.date | None = None
    address: str = ""
    phone: str = ""
    organization_tax_number: str = ""
    organization_name: str = ""
    raw_claims: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def full_name(self):
        return " ".join(part for part in (self.given_name, self.patronymic, self.surname) if part)


class Adapter:
    def begin(self, request, provider, redirect_uri):
        """The redirect to the provider's login page; raises ProviderUnavailable."""
        raise NotImplementedError

    def complete(self, request, provider, redirect_uri):
        """The identity from the provider's answer on the callback; raises LoginRefused or
        ProviderUnavailable."""
        raise NotImplementedError


class NotYetAvailable(Adapter):
    """A national protocol whose adapter needs what only the state issues (see ``national``)."""

    def __init__(self, needs):
        self.needs = needs

    def begin(self, request, provider, redirect_uri):
        raise ProviderUnavailable(_("This login is not available yet."))

    def complete(self, request, provider, redirect_uri):
        raise LoginRefused(_("This login is not available yet."), reason=self.needs)
