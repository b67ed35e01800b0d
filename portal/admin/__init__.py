"""Admin registrations of the portal core, one module per area."""

from . import notifications, tenancy  # noqa: F401
