from functools import wraps

from django.http import Http404


def tenant_required(workflow=None):
    """A tenant page: 404 on the shared portal root, and 404 where the tenant does not offer
    the workflow the page belongs to."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            tenant = getattr(request, "tenant", None)
            if tenant is None or (workflow and not tenant.offers(workflow)):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
