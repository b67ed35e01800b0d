import time

from django.conf import settings
from django.contrib.auth import logout

SESSION_STARTED_KEY = "abonent_session_started"


class SessionLifetimeMiddleware:
    """Ends a logged-in session after an absolute lifetime, however active it is.

    The idle timeout is the session cookie's age, refreshed on every request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.setdefault(SESSION_STARTED_KEY, int(time.time()))
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
        return self.get_response(request)
