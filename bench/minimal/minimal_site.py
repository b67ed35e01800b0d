"""The floor: a Django project with one view and CommonMiddleware only, served like the portal.

    gunicorn --chdir bench/minimal minimal_site:application -w 2

bench/run.py measures it side by side with the portal's pages; the ratio to this view is what
"near the framework's floor" means in issue #12.
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ.get("SECRET_KEY", "bench-minimal-not-secret"),
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
    INSTALLED_APPS=[],
    DATABASES={},
    USE_TZ=True,
)


def hello(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("healthz/", hello)]

application = get_wsgi_application()
