import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def english_pages(client):
    """Pages in English (the language cookie), so assertions read the source strings whatever
    the catalogues hold; a user's own preferred language still wins once he logs in."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
