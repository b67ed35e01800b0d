"""Plain OpenID Connect through Authlib's Django client (a well-kept library: it carries the
authorization code flow with PKCE S256, generates and checks state and nonce, and verifies the ID
token's signature against the provider's JWKS, its issuer, audience and expiry).

One Authlib client per provider configuration: the registry name includes the row's change time,
so an edit in the admin takes effect without a restart. The discovery document and the keys are
cached on the client (Authlib refetches the keys when a token names an unknown key).
"""

import datetime
import logging

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.django_client import OAuth
from authlib.jose.errors import ExpiredTokenError, InvalidClaimError, JoseError
from django.utils.translation import gettext as _

from accounts.identity.adapters import Adapter, LoginRefused, ProviderUnavailable, VerifiedIdentity

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
_oauth = OAuth()


def metadata_url(provider):
    url = provider.discovery_url.rstrip("/")
    if url.endswith("/.well-known/openid-configuration"):
        return url
    return f"{url}/.well-known/openid-configuration"


def client_for(provider):
    name = f"idp{provider.pk}-{provider.updated_at.timestamp():.6f}"
    client = _oauth.create_client(name)
    if client is None:
        _oauth.register(
            name=name,
            client_id=provider.client_id,
            client_secret=provider.client_secret or None,
            server_metadata_url=metadata_url(provider),
            client_kwargs={
                "scope": provider.scopes,
                "code_challenge_method": "S256",
                "default_timeout": TIMEOUT_SECONDS,
                # Public clients (no secret) authenticate with PKCE alone.
                "token_endpoint_auth_method": "client_secret_basic" if provider.client_secret else "none",
            },
        )
        client = _oauth.create_client(name)
    return client


def _unavailable(provider, error):
    logger.warning("identity provider %s does not answer: %r", provider.pk, error)
    return ProviderUnavailable(_("%(provider)s is not answering.") % {"provider": provider.label})


def _text(value):
    if isinstance(value, dict):  # OIDC "address" is an object with a "formatted" member
        value = value.get("formatted") or ", ".join(str(part) for part in value.values() if part)
    return str(value or "").strip()


def _date(value):
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def identity_from_claims(provider, claims):
    """Our fields from the provider's claims, through the provider's claim mapping."""

    def claim(field):
        return claims.get(provider.claim(field))

    return VerifiedIdentity(
        subject=str(claims["sub"]),
        email=_text(claim("email")).lower(),
        email_verified=claim("email_verified") in (True, "true", "True", 1),
        given_name=_text(claim("given_name")),
        surname=_text(claim("surname")),
        patronymic=_text(claim("patronymic")),
        personal_id_number=_text(claim("personal_id_number")).upper().replace(" ", ""),
        birth_date=_date(claim("birth_date")),
        address=_text(claim("address")),
        phone=_text(claim("phone")),
        organization_tax_number=_text(claim("organization_tax_number")).replace(" ", ""),
        organization_name=_text(claim("organization_name")),
        raw_claims=dict(claims),
    )


def verify_id_token(provider, id_token, *, nonce, access_token=None):
    """The claims of ``id_token`` once its signature, issuer, audience, expiry and nonce are
    checked; raises LoginRefused. Used by ``complete`` and by the tests with real tokens."""
    client = client_for(provider)
    token = {"id_token": id_token}
    if access_token:
        token["access_token"] = access_token
    try:
        return dict(client.parse_id_token(token, nonce=nonce))
    except ExpiredTokenError as error:
        raise LoginRefused(_("The login has expired. Please try again."), reason=repr(error)) from error
    except InvalidClaimError as error:
        raise LoginRefused(_("The login could not be verified. Please try again."), reason=repr(error)) from error
    except (JoseError, ValueError) as error:
        raise LoginRefused(_("The login could not be verified. Please try again."), reason=repr(error)) from error
    except requests.RequestException as error:
        raise _unavailable(provider, error) from error


class PlainOidcAdapter(Adapter):
    def begin(self, request, provider, redirect_uri):
        client = client_for(provider)
        try:
            return client.authorize_redirect(request, redirect_uri)
        except (requests.RequestException, ValueError, KeyError) as error:
            raise _unavailable(provider, error) from error

    def complete(self, request, provider, redirect_uri):
        if request.GET.get("error"):
            # The user cancelled at the provider, or it refused the request.
            raise LoginRefused(_("The login was cancelled."), reason=request.GET.get("error", ""))
        client = client_for(provider)
        try:
            token = client.authorize_access_token(request)
        except MismatchingStateError as error:
            # An answer this browser did not ask for (a forged or replayed callback, or an old tab).
            raise LoginRefused(_("The login could not be verified. Please try again."), reason=repr(error)) from error
        except ExpiredTokenError as error:
            raise LoginRefused(_("The login has expired. Please try again."), reason=repr(error)) from error
        except OAuthError as error:
            # invalid_grant: a code used twice or too late.
            raise LoginRefused(_("The login could not be completed. Please try again."), reason=repr(error)) from error
        except (JoseError, AuthlibBaseError, ValueError) as error:
            raise LoginRefused(_("The login could not be verified. Please try again."), reason=repr(error)) from error
        except requests.RequestException as error:
            raise _unavailable(provider, error) from error
        claims = token.get("userinfo")
        if not claims:
            raise LoginRefused(_("The login could not be verified. Please try again."), reason="no id_token")
        claims = dict(claims)
        try:
            extra = client.userinfo(token=token)
        except (requests.RequestException, AuthlibBaseError, ValueError):
            extra = {}
        # The userinfo answer may add claims; it may not speak for another subject.
        if extra and extra.get("sub") == claims["sub"]:
            claims = {**extra, **claims}
        # The tokens end here: nothing of them is stored.
        return identity_from_claims(provider, claims)


ADAPTER = PlainOidcAdapter()
