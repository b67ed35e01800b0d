"""The adapter of each provider protocol."""

from accounts.identity import national, plain_oidc

ADAPTERS = {"oidc": plain_oidc.ADAPTER, **national.ADAPTERS}


def adapter_for(provider):
    return ADAPTERS[provider.protocol]
