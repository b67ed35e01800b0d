"""Admin registrations of the portal core, one module per area."""

from . import tenancy  # noqa: F401
