"""The client's address, read the same proxy-aware way by every throttle (rate limits and
django-axes' login lockout alike).

``PROXY_COUNT`` (settings ``CLIENT_IP_PROXY_COUNT``) is the number of reverse proxies in front of
the web processes. 0, the default, means clients connect directly: ``REMOTE_ADDR`` is the address
and ``X-Forwarded-For`` is ignored, since anybody can send one. With N proxies, each appends the
address it was connected from, so the client is the N-th entry from the right of
``X-Forwarded-For``; entries to its left were written by the client and are never trusted. When
``PROXY_TRUSTED_IPS`` (``CLIENT_IP_TRUSTED_PROXIES``) lists addresses or networks, the header is
honoured only on a connection from one of them. django-ipware parses the header.
"""

import ipaddress

from django.conf import settings
from ipware.ip import get_client_ip


def _from_trusted_proxy(remote):
    trusted = settings.CLIENT_IP_TRUSTED_PROXIES
    if not trusted:
        return True
    try:
        address = ipaddress.ip_address(remote)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(network, strict=False) for network in trusted)


def client_ip(request):
    """The address of the client that sent ``request``, or None when there is none."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.CLIENT_IP_PROXY_COUNT
    if not proxies or remote is None or not _from_trusted_proxy(remote):
        return remote
    # ipware counts the proxies listed in the header after the client: the last proxy is the
    # connection itself (REMOTE_ADDR), not an entry of the header.
    forwarded, _routable = get_client_ip(
        request,
        proxy_count=proxies - 1,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        strict=False,
    )
    return forwarded or remote
