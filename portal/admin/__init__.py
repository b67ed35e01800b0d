"""Admin registrations of the portal core, one module per area."""

from . import calendar, notifications, tenancy  # noqa: F401
