import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache_and_verify_base(settings):
    """Rate-limit counters live in the cache: start each test with none. QR codes point at testserver."""
    cache.clear()
    settings.CERTIFICATES_VERIFY_BASE_URL = "http://testserver"
    yield
    cache.clear()
