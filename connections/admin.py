"""The connections admin. Each part registers its own models in its module."""

from connections import (
    admin_fees,  # noqa: F401  (fee schedules and their rules)
    admin_gis,  # noqa: F401  (districts, power centres, parcels)
    admin_requests,  # noqa: F401  (the W2 queue and the connection settings)
)
