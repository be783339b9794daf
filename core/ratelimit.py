"""A fixed-window limit per client address in Django's cache (Redis in production), for the public verify page."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

DEFAULT_VERIFY_RATE = (30, 60)  # requests, seconds


def verify_rate() -> tuple[int, int]:
    return tuple(getattr(settings, "CERTIFICATES_VERIFY_RATE", DEFAULT_VERIFY_RATE))  # type: ignore[return-value]


def client_address(request) -> str:
    # Behind a proxy, configure it to set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips); never trust the header.
    return request.META.get("REMOTE_ADDR", "unknown")


def limit_exceeded(*, scope: str, request) -> bool:
    """Count this request; True when the client has used up its allowance for the current window."""
    limit, window = verify_rate()
    key = f"ratelimit:{scope}:{client_address(request)}:{int(time.time() // window)}"
    if cache.add(key, 1, timeout=window + 1):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 1)
        return False
    return count > limit
