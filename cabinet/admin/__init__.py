"""Staff side of the legal-entity cabinet: contracts and their links, the W4 requests and
the cabinet settings of each tenant, and the period readings with their flags."""

from cabinet.admin import contracts, readings, requests, settings  # noqa: F401  (each module registers its admins)
