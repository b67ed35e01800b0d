"""What each national provider needs beyond plain OpenID Connect. Each is registered behind the
same interface and refuses politely until its adapter is built with what the state issues.

- ESIA (Gosuslugi, Russia): OAuth 2.0 with the client secret being a detached CMS signature
  (GOST R 34.10-2012) over scope + timestamp + client id + state, made with the operator's
  qualified certificate registered in ESIA's technology portal; the ID/access token is a JWT
  signed GOST-style, checked with ESIA's certificate. Needs: the agreement with the Ministry of
  Digital Development, the registered system mnemonic (client id), a GOST key and certificate and a
  CryptoPro-compatible signer (e.g. OpenSSL with the gost engine). Scopes: openid fullname
  birthdate snils inn mobile email; organizations: "org_shortname org_inn" and the user's
  organizations list endpoint.
- OneID (Uzbekistan, id.egov.uz): an OAuth 2.0 dialect with its own grant names
  (``response_type=one_code``, ``grant_type=one_authorization_code``, then
  ``grant_type=one_access_token_identify`` to read the person: ``pin`` (PINFL), names, passport,
  birth date, ``legal_info`` with the companies' tax numbers). Needs: a client id and secret
  issued by the e-government centre after an application, the registered redirect URL.
- ASAN Login (Azerbaijan): a single sign-on token in a cookie/redirect validated against ASAN's
  service with the integrator's certificate; yields FIN, names and the signature's certificate
  (Asan İmza, a strong level). Needs: the integration agreement with the ASAN service and its
  client certificate.
"""

from django.utils.translation import gettext_lazy as _

from accounts.identity.adapters import NotYetAvailable

ADAPTERS = {
    "esia": NotYetAvailable(
        _("ESIA needs a GOST signing key and certificate registered with the ministry before it can be used.")
    ),
    "oneid": NotYetAvailable(_("OneID needs client credentials issued by the e-government centre.")),
    "asan": NotYetAvailable(_("ASAN Login needs the ASAN service's integration certificate.")),
}
