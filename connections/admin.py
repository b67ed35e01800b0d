"""The connections admin. Each part registers its own models in its module."""

from connections import admin_fees  # noqa: F401  (fee schedules and their rules)
