"""The HTTP GIS provider against a real HTTP server on loopback, started by the test."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from connections import gis
from connections.gis.http import HttpGisProvider
from tests.connections.factories_gis import DistrictFactory, PowerCentreFactory

pytestmark = pytest.mark.django_db


class FakeGis:
    """What the server answers next, and what it was asked."""

    def __init__(self):
        self.status = 200
        self.body = b"{}"
        self.delay = 0.0
        self.requests = []


@pytest.fixture
def fake_gis():
    state = FakeGis()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            length = int(self.headers.get("Content-Length", 0))
            state.requests.append({"headers": dict(self.headers), "json": json.loads(self.rfile.read(length))})
            time.sleep(state.delay)
            try:
                self.send_response(state.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(state.body)))
                self.end_headers()
                self.wfile.write(state.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (the timeout test)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/locate"
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def district(tenant):
    return DistrictFactory(tenant=tenant, code="nasimi")


@pytest.fixture
def provider(settings, fake_gis):
    settings.CONNECTIONS_DISTANCE_PROVIDER = "connections.gis.http.HttpGisProvider"
    settings.CONNECTIONS_GIS_URL = fake_gis.url
    settings.CONNECTIONS_GIS_TOKEN = "secret-token"
    settings.CONNECTIONS_GIS_TIMEOUT = 0.5
    return gis.distance_provider()


def locate(tenant, district, power_kw=8):
    return gis.locate(
        tenant, district=district, registry_number="nsm-0001", registration_number="050001", power_kw=power_kw
    )


def answer(fake_gis, payload, status=200):
    fake_gis.status = status
    fake_gis.body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()


def test_the_service_answers_the_distance_and_the_centre(tenant, district, provider, fake_gis):
    centre = PowerCentreFactory(district=district, code="TM-1")
    answer(
        fake_gis,
        {
            "result": "ok",
            "distance_m": 412.6,
            "approximate": False,
            "data_version": "2026-11-30",
            "centre": {"code": "TM-1", "name": "TM 1"},
        },
    )

    location = locate(tenant, district)

    assert isinstance(provider, HttpGisProvider)
    assert (location.distance_m, location.centre, location.method) == (413, centre, "gis-service")
    assert (location.data_version, location.approximate) == ("2026-11-30", False)
    asked = fake_gis.requests[0]
    assert asked["headers"]["Authorization"] == "Bearer secret-token"
    assert asked["json"] == {
        "tenant": tenant.slug,
        "district": "nasimi",
        "registry_number": "NSM-0001",
        "registration_number": "050001",
        "power_kw": "8",
        "required_kva": "8.9",
        "voltage": "0.4",
    }


def test_a_centre_the_portal_does_not_know_is_named_by_code(tenant, district, provider, fake_gis):
    answer(fake_gis, {"result": "ok", "distance_m": 90, "approximate": True, "centre": {"code": "X-9", "name": "X"}})

    location = locate(tenant, district)

    assert (location.centre, location.centre_code, location.approximate) == (None, "X-9", True)


def test_the_services_not_found_and_no_capacity_are_the_forms_errors(tenant, district, provider, fake_gis):
    answer(fake_gis, {"result": "parcel_not_found"})
    with pytest.raises(gis.ParcelNotFound):
        locate(tenant, district)

    answer(fake_gis, {"result": "no_centre_available"})
    with pytest.raises(gis.NoCentreAvailable):
        locate(tenant, district)


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, b'{"result": "ok"}'),
        (401, b"Unauthorized"),
        (200, b"<html>maintenance</html>"),
        (200, b"[1, 2]"),
        (200, b'{"result": "ok", "distance_m": "far", "centre": {"code": "TM-1"}}'),
        (200, b'{"result": "ok", "distance_m": -5, "centre": {"code": "TM-1"}}'),
        (200, b'{"result": "ok", "distance_m": 5}'),
        (200, b'{"result": "maybe"}'),
    ],
    ids=[
        "server error",
        "unauthorized",
        "not json",
        "not an object",
        "distance not a number",
        "negative distance",
        "no centre",
        "unknown result",
    ],
)
def test_a_broken_answer_says_the_gis_is_not_answering(tenant, district, provider, fake_gis, status, body):
    answer(fake_gis, body, status=status)

    with pytest.raises(gis.GisUnavailable) as refused:
        locate(tenant, district)

    assert refused.value.messages == [str(gis.errors.GIS_UNAVAILABLE)]


def test_a_slow_service_times_out_with_the_same_message(tenant, district, provider, fake_gis):
    fake_gis.delay = 2.0
    answer(fake_gis, {"result": "ok", "distance_m": 1, "centre": {"code": "TM-1"}})

    started = time.monotonic()
    with pytest.raises(gis.GisUnavailable):
        locate(tenant, district)

    assert time.monotonic() - started < 1.8


def test_a_service_that_is_down_says_the_gis_is_not_answering(tenant, district, settings):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    provider = HttpGisProvider(url=f"http://127.0.0.1:{port}/locate", token="t", timeout=0.5)

    with pytest.raises(gis.GisUnavailable):
        provider.locate(tenant, district=district, registry_number="A", registration_number="B", power_kw=5)


def test_unknown_numbers_are_refused_without_asking_the_service(tenant, district, provider, fake_gis):
    with pytest.raises(gis.ParcelNotFound):
        gis.locate(tenant, district=district, registry_number=" ", registration_number="1", power_kw=5)

    assert fake_gis.requests == []
