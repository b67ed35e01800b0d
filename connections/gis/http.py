"""The second distance provider: the utility's own GIS service answers over HTTP.

Request (POST, JSON, ``Authorization: Bearer <CONNECTIONS_GIS_TOKEN>``)::

    {"tenant": "azerishiq", "district": "nasimi", "registry_number": "NSM-0001",
     "registration_number": "010001", "power_kw": "8", "required_kva": "8.9", "voltage": "0.4"}

Answer (200, JSON): ``{"result": "ok", "distance_m": 412.5, "approximate": false,
"data_version": "2026-11-30", "centre": {"code": "TP-NSM-1", "name": "TM-1"}}``, or
``{"result": "parcel_not_found"}`` or ``{"result": "no_centre_available"}``. Anything else (a
timeout, a refused connection, another status, a body that is not that JSON) is "the GIS is not
answering": the form says so and the applicant tries later, never a 500.
"""

import json
import logging
import math
import urllib.error
import urllib.request

from django.conf import settings

from connections.gis import rules
from connections.gis.errors import GisUnavailable, NoCentreAvailable, ParcelNotFound
from connections.gis.location import Location
from connections.gis.numbers import normalize_number
from connections.models import PowerCentre

logger = logging.getLogger(__name__)

METHOD = "gis-service"
MAX_ANSWER_BYTES = 64 * 1024


class HttpGisProvider:
    method = METHOD

    def __init__(self, url=None, token=None, timeout=None):
        # Read from settings at each request (the provider is built once per process).
        self._url, self._token, self._timeout = url, token, timeout

    @property
    def url(self):
        return self._url if self._url is not None else settings.CONNECTIONS_GIS_URL

    @property
    def token(self):
        return self._token if self._token is not None else settings.CONNECTIONS_GIS_TOKEN

    @property
    def timeout(self):
        return self._timeout if self._timeout is not None else settings.CONNECTIONS_GIS_TIMEOUT

    def locate(self, tenant, *, district, registry_number, registration_number, power_kw, voltage="0.4"):
        registry = normalize_number(registry_number)
        registration = normalize_number(registration_number)
        if not registry or not registration or district is None or district.tenant_id != tenant.pk:
            raise ParcelNotFound
        answer = self.ask(
            {
                "tenant": tenant.slug,
                "district": district.code,
                "registry_number": registry,
                "registration_number": registration,
                "power_kw": str(power_kw),
                "required_kva": str(rules.required_kva(power_kw)),
                "voltage": str(voltage),
            }
        )
        result = answer.get("result")
        if result == "parcel_not_found":
            raise ParcelNotFound
        if result == "no_centre_available":
            raise NoCentreAvailable
        if result != "ok":
            raise self.unavailable("unknown result %r", result)
        distance_m, centre_code, centre_name, approximate, version = self.read_ok(answer)
        return Location(
            distance_m=round(distance_m),
            centre=PowerCentre.objects.for_tenant(tenant).filter(code=centre_code).first(),
            centre_code=centre_code,
            centre_name=centre_name,
            method=self.method,
            approximate=approximate,
            data_version=version,
            parcel=None,
        )

    def ask(self, payload):
        if not self.url.startswith(("http://", "https://")):
            raise self.unavailable("CONNECTIONS_GIS_URL is not an http(s) URL")
        request = urllib.request.Request(  # noqa: S310 (http(s) checked above)
            self.url,
            data=json.dumps(payload).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Authorization": f"Bearer {self.token}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (http(s) checked)
                body = response.read(MAX_ANSWER_BYTES + 1)
        except (urllib.error.URLError, OSError, ValueError) as error:  # HTTPError, timeouts, refused
            raise self.unavailable("request failed: %s", error) from error
        if len(body) > MAX_ANSWER_BYTES:
            raise self.unavailable("answer larger than %d bytes", MAX_ANSWER_BYTES)
        try:
            answer = json.loads(body)
        except (UnicodeDecodeError, ValueError) as error:
            raise self.unavailable("answer is not JSON: %s", error) from error
        if not isinstance(answer, dict):
            raise self.unavailable("answer is not a JSON object")
        return answer

    def read_ok(self, answer):
        distance = answer.get("distance_m")
        centre = answer.get("centre")
        valid = (
            isinstance(distance, int | float)
            and not isinstance(distance, bool)
            and math.isfinite(distance)
            and 0 <= distance < 50_000_000
            and isinstance(centre, dict)
            and isinstance(centre.get("code"), str)
            and centre["code"]
        )
        if not valid:
            raise self.unavailable("answer without a valid distance_m and centre.code: %r", answer)
        return (
            distance,
            centre["code"][:40],
            str(centre.get("name") or "")[:200],
            answer.get("approximate") is True,
            str(answer.get("data_version") or "")[:64],
        )

    def unavailable(self, message, *args):
        logger.warning("GIS service %s: " + message, self.url, *args)
        return GisUnavailable()
