import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Service-level tests here assert the English messages; pages are tested in both languages elsewhere."""
    with translation.override("en"):
        yield
