# The cabinet's fixtures (tenant, organization, contract, member…), for the cabinet pages measured here.
from tests.cabinet.conftest import *  # noqa: F403
