"""Random bodies posted to every form of the project, as a logged-in owner: never a 5xx.

The pages are those of the isolation registry (each parameterised URL pointed at the owner's own
object, the control probe) and every page without parameters, in tenant A. The field names come
from the page itself (its inputs), mixed with names of our own; the values are random text with
the usual suspects: NUL bytes, huge strings, other scripts, numbers like 1e308 and 2147483648.
Hypothesis is derandomized and kept small so CI is stable and quick.
"""

import re

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.urls_helpers import tenant_reverse
from tests.isolation.registry import REGISTRY
from tests.isolation.test_every_url import url_for
from tests.isolation.urls import all_routes
from tests.isolation.world import World

# Logging out, or switching language, answers anything with a redirect: nothing to learn there.
SKIPPED = {"accounts:logout", "set_language", "healthz"}
ROUTES = [route for route in all_routes() if route.name not in SKIPPED]
FIELD_NAME_RE = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')
NASTY = [
    "\x00",
    "a\x00b",
    "1e308",
    "-1e308",
    "1e20",
    "1000000000",
    "2147483648",
    "-9223372036854775809",
    "9" * 5000,
    "x" * 70_000,
    "NaN",
    "0001-01",
    "9999-12-31",
    "0000-00-00",
    "1,5",
    "١٢٣",
    "Ağ şəhər İ ı",
    "Привет",
    "🙂" * 10,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "",
    " ",
]
VALUES = st.one_of(st.sampled_from(NASTY), st.text(max_size=40), st.integers().map(str))
EXAMPLES = 4


def target(world, route):
    """(user, url) of the route as the owner reaches it, or None when the route is not a page."""
    if route.has_params:
        probe = REGISTRY[route.name](world).control
        return probe.user, url_for(probe, route.name)
    return world.owner, tenant_reverse(world.tenant_a, route.name)


@pytest.fixture(autouse=True)
def language_restored():
    """A random body may set the owner's language; the middleware activates it for the thread, and
    tests after this one compare English messages."""
    current = translation.get_language()
    yield
    translation.activate(current)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_random_bodies_never_get_a_server_error(route, client):
    world = World()
    if route.has_params and route.name not in REGISTRY:
        pytest.skip("not in the isolation registry (test_every_url fails for it)")
    user, url = target(world, route)
    if user is not None:
        client.force_login(user)
    page = client.get(url)
    assert page.status_code < 500, f"GET {url} answered {page.status_code}"
    html = "" if page.streaming else page.content.decode(errors="replace")
    # Pages without a form (downloads, lists, a step reached out of order) get random posts too:
    # a refusal (405, a redirect) is fine, a 5xx is not.
    names = sorted(set(FIELD_NAME_RE.findall(html))) or ["value"]
    names = [name for name in names if name != "csrfmiddlewaretoken"]
    fields = st.sampled_from(names + ["period", "year", "idempotency_key", "next", "x" * 300])

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(body=st.dictionaries(fields, VALUES, max_size=len(names) + 2))
    def post_random(body):
        if user is not None:
            client.force_login(user)
        response = client.post(url, body)
        assert response.status_code < 500, f"POST {url} {body!r:.300} answered {response.status_code}"

    post_random()
