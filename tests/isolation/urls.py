"""Enumerates every URL pattern of the project, so the isolation tests pick up new pages."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Namespaces tested elsewhere: the admin has its own isolation test over every registered model.
SKIPPED_NAMESPACES = {"admin", "otpadmin"}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    pattern: str
    params: tuple

    @property
    def has_params(self):
        return bool(self.params)


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            ns = ":".join(filter(None, [namespace, entry.namespace]))
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            if not entry.name:
                continue  # unnamed patterns (static files in DEBUG) are not pages
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            params = tuple(entry.pattern.converters) if hasattr(entry.pattern, "converters") else ()
            if not params:
                params = tuple(entry.pattern.regex.groupindex)
            yield Route(name, prefix + str(entry.pattern), params)


def all_routes():
    return sorted(set(_walk(get_resolver().url_patterns)), key=lambda r: r.name)
