import time

from django.conf import settings
from django.contrib.auth import logout

SESSION_STARTED_KEY = "abonent_session_started"
SESSION_ACTIVE_KEY = "abonent_session_active"


class SessionLifetimeMiddleware:
    """Ends a logged-in session after an absolute lifetime, however active it is, and after
    ``SESSION_IDLE_SECONDS`` without a request.

    The last activity is stamped at most once every ``SESSION_ACTIVITY_SECONDS``: the stamp is what
    modifies the session, so a page view within the minute writes nothing (issue #12: a session
    write on every request cost a third of a logged-in page's floor). Saving the stamp also renews
    the cookie and the stored session's expiry, which outlive the idle timeout by that minute.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.get(SESSION_STARTED_KEY)
            if started is None:
                session[SESSION_STARTED_KEY] = started = now
            active = session.get(SESSION_ACTIVE_KEY, started)
            if now - started > settings.SESSION_ABSOLUTE_SECONDS or now - active > settings.SESSION_IDLE_SECONDS:
                logout(request)
            elif now - active >= settings.SESSION_ACTIVITY_SECONDS or SESSION_ACTIVE_KEY not in session:
                session[SESSION_ACTIVE_KEY] = now
        return self.get_response(request)
