"""Reversing URLs for a given tenant outside the request that resolved it (e-mails, tasks)."""

from contextlib import contextmanager

from django.conf import settings
from django.urls import get_script_prefix, reverse, set_script_prefix


@contextmanager
def script_prefix(prefix):
    previous = get_script_prefix()
    set_script_prefix(prefix)
    try:
        yield
    finally:
        set_script_prefix(previous)


def tenant_reverse(tenant, viewname, args=None, kwargs=None, absolute=False):
    with script_prefix(tenant.path_prefix):
        path = reverse(viewname, args=args, kwargs=kwargs)
    if not absolute:
        return path
    if tenant.domain:
        scheme = "https" if settings.SECURE_SSL else "http"
        return f"{scheme}://{tenant.domain}{path}"
    return settings.SITE_URL + path
