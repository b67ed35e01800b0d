"""Staff side of the legal-entity cabinet: contracts and their links, and the W4 requests."""

from cabinet.admin import contracts, requests  # noqa: F401  (each module registers its admins)
