"""State logins: external identity providers per tenant (issue #13).

``adapters`` is the interface every provider kind implements and the registry by protocol;
``plain_oidc`` is the standard OpenID Connect adapter (Authlib: authorization code with PKCE,
state and nonce, ID token signature, issuer, audience and expiry checked); ``national`` lists what
the adapters for ESIA, OneID and ASAN Login still need; ``signin`` turns verified claims into a
portal user (create, link, or ask for the password of the existing account).
"""
