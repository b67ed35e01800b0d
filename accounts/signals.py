import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.middleware import SESSION_STARTED_KEY
from portal.middleware import LANGUAGE_SESSION_KEY


@receiver(user_logged_in, dispatch_uid="accounts.start_session")
def start_session(sender, request, user, **kwargs):
    """Every login (portal or admin) starts the absolute session clock afresh and switches the
    pages to the user's preferred language."""
    session = getattr(request, "session", None)
    if session is None:
        return
    session[SESSION_STARTED_KEY] = int(time.time())
    if user.preferred_language:
        session[LANGUAGE_SESSION_KEY] = user.preferred_language
