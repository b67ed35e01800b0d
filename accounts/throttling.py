"""How django-axes names the account a login attempt is for."""

from django.conf import settings

AXES_USERNAME_MAX_LENGTH = 255


def username_for_axes(request, credentials=None):
    """The e-mail address, lower-cased, so that "Ann@x" and "ann@x" count as one account on the
    portal's login and on the admin's alike."""
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get(settings.AXES_USERNAME_FORM_FIELD) or ""
    # Axes stores it in a 255-character column: a longer name (never a real address) is cut, not a 500.
    return str(username).strip().lower()[:AXES_USERNAME_MAX_LENGTH]
