"""Accessibility checks with axe-core (from npm: `npm ci` installs it into node_modules/).

``assert_accessible(page)`` runs axe on the page as the user sees it now and fails on any serious
or critical violation. The script is evaluated through the DevTools protocol, so the page's
Content-Security-Policy (script-src 'self') stays as strict as in production.
"""

import os
from functools import cache
from pathlib import Path

import pytest

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")


@cache
def axe_source():
    if not AXE_SCRIPT.exists():
        reason = f"{AXE_SCRIPT} is missing: run `npm ci` in the project folder to install axe-core"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return AXE_SCRIPT.read_text()


def violations(page):
    """axe's violations on ``page`` of serious or critical impact, as readable lines."""
    page.evaluate(axe_source() + "\n;undefined")
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{item['impact']}: {item['id']} — {item['help']} ({len(item['nodes'])}×, e.g. {item['nodes'][0]['target']})"
        for item in result["violations"]
        if item["impact"] in BLOCKING_IMPACTS
    ]


def assert_accessible(page):
    found = violations(page)
    assert not found, f"axe found on {page.url}:\n" + "\n".join(found)
