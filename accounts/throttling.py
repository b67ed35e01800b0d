"""How django-axes names the account a login attempt is for."""

from django.conf import settings


def username_for_axes(request, credentials=None):
    """The e-mail address, lower-cased, so that "Ann@x" and "ann@x" count as one account on the
    portal's login and on the admin's alike."""
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get(settings.AXES_USERNAME_FORM_FIELD) or ""
    return username.strip().lower()
