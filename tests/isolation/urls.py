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


def _params(pattern):
    params = tuple(pattern.converters) if hasattr(pattern, "converters") else ()
    return params or tuple(pattern.regex.groupindex)


def _walk(patterns, prefix="", namespace="", inherited=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            ns = ":".join(filter(None, [namespace, entry.namespace]))
            # Pages nested under a parent (cabinet/contracts/<contract_id>/...) inherit its parameters.
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns, inherited + _params(entry.pattern))
        elif isinstance(entry, URLPattern):
            if not entry.name:
                continue  # unnamed patterns (static files in DEBUG) are not pages
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Route(name, prefix + str(entry.pattern), inherited + _params(entry.pattern))


def all_routes():
    return sorted(set(_walk(get_resolver().url_patterns)), key=lambda r: r.name)
