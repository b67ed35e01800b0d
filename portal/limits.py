"""Refuses oversized request bodies before anything reads them.

Django's own DATA_UPLOAD_MAX_MEMORY_SIZE does not count uploaded files, so a 200 MB POST would be
streamed to temporary files before a form could say it is too large. The declared Content-Length
is checked here instead, and the answer is a 413 page in the user's language (this middleware
runs after LanguageMiddleware has chosen it). Bodies without a Content-Length (chunked) are
limited by the web server in front (gunicorn/nginx client_max_body_size).

``bad_request`` is the project's 400 page (handler400): Django answers a post with more files
than DATA_UPLOAD_MAX_NUMBER_FILES, or more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS, with a 400
whose default page is a bare English "Bad Request (400)".
"""

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent, TooManyFilesSent
from django.shortcuts import render
from django.utils.translation import gettext as _


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.MAX_REQUEST_BODY_BYTES:
            response = render(
                request,
                "portal/request_too_large.html",
                {"limit_mb": settings.MAX_REQUEST_BODY_BYTES // (1024 * 1024)},
                status=413,
            )
            # The body was not read: the connection must not be reused for a next request.
            response["Connection"] = "close"
            return response
        return self.get_response(request)


def bad_request(request, exception=None):
    if isinstance(exception, TooManyFilesSent):
        message = _(
            "The form carried more than %(max)s files, so it was not received. Attach fewer files and send it again."
        ) % {"max": settings.DATA_UPLOAD_MAX_NUMBER_FILES}
    elif isinstance(exception, TooManyFieldsSent):
        message = _("The form carried too many fields, so it was not received. Open the form again and send it.")
    else:
        message = _("The request could not be understood. Open the page again from the portal’s menu.")
    return render(request, "portal/bad_request.html", {"message": message}, status=400)
