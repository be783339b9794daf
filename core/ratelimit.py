"""The client's address and every rate limit, counted in Django's cache (Redis when CACHE_URL is set; ADR 0021).

`client_ip` is the one answer to "who is asking": REMOTE_ADDR, unless that peer is one of TRUSTED_PROXIES, in which
case X-Forwarded-For is read from the right, skipping trusted proxies, up to the first address that is not one.
DRF's throttles use it through the classes below, and so does every `Guard`.

A `Guard` protects one attempt of a sensitive action (a password check, a sign-up, a reset email, a code lookup) by
the client's address and, when given, by an account key. Each subject gets `free` attempts; from then on each attempt
must wait `delay` seconds after the previous one, doubling up to `max_delay` (a progressive delay, not a lockout),
and the count is forgotten `window` seconds after the last counted attempt. The attempt is counted before it runs,
so parallel requests cannot all slip through; `succeeded()` gives the count back, so successful logins from one
classroom address never add up.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from rest_framework import throttling

DEFAULT_VERIFY_RATE = (30, 60)  # unknown codes, seconds: the verify page's and API's allowance per client


def verify_rate() -> tuple[int, int]:
    return tuple(getattr(settings, "CERTIFICATES_VERIFY_RATE", DEFAULT_VERIFY_RATE))  # type: ignore[return-value]


# --- the client's address ------------------------------------------------------------------------------------------

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted_proxies() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_trusted(address, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(request) -> str:
    """The address of the client, as the nearest untrusted hop saw it. A header from an untrusted peer is ignored."""
    meta = request.META
    peer = _address(meta.get("REMOTE_ADDR", ""))
    networks = trusted_proxies()
    if peer is None:
        return "unknown"
    if not _is_trusted(peer, networks):
        return str(peer)
    nearest = peer
    for hop in reversed(meta.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:
            break  # a malformed entry: nothing left of it can be trusted
        if not _is_trusted(address, networks):
            return str(address)
        nearest = address
    return str(nearest)


def _ip_subject(ip: str) -> str:
    # One IPv6 customer holds a whole /64: counting single addresses would give them 2**64 allowances.
    address = _address(ip)
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return ip


class ClientIpMixin:
    """DRF throttles keyed by `client_ip` instead of DRF's NUM_PROXIES logic."""

    def get_ident(self, request) -> str:
        return _ip_subject(client_ip(request))


class SimpleRateThrottle(ClientIpMixin, throttling.SimpleRateThrottle):
    pass


class AnonRateThrottle(ClientIpMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientIpMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(ClientIpMixin, throttling.ScopedRateThrottle):
    pass


# --- guarded attempts ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    free: int  # attempts before any delay
    delay: int  # seconds to wait after the `free`-th attempt; doubles with each further one
    max_delay: int
    window: int  # seconds after the last counted attempt when the count is forgotten

    @property
    def memory(self) -> int:
        # Never forget a count while its delay runs, or the longest delay would start the count again.
        return max(self.window, 2 * self.max_delay)


DEFAULT_POLICY = Policy(free=10, delay=2, max_delay=900, window=900)


def policy_for(name: str) -> Policy:
    """The policy named `<scope>:ip` or `<scope>:account` in settings.RATE_LIMITS."""
    if name == "verify:ip":
        # The verify page shares CERTIFICATES_VERIFY_RATE with the API: that many unknown codes per window are free.
        limit, window = verify_rate()
        return Policy(free=limit, delay=max(1, window // max(limit, 1)), max_delay=max(window, 900), window=window)
    values = getattr(settings, "RATE_LIMITS", {}).get(name)
    return Policy(**values) if values else DEFAULT_POLICY


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


@dataclass
class _Subject:
    key: str
    policy: Policy
    resets_on_success: bool
    counted: bool = False
    locked_here: bool = False


class Guard:
    """One attempt of `scope`: `begin()` before it (raises RateLimited), `succeeded()` after a success.

    A failure needs no call: the attempt was counted when it began."""

    def __init__(self, scope: str, *, request=None, account: str | None = None):
        self.subjects: list[_Subject] = []
        if account:
            digest = hashlib.sha256(account.strip().lower().encode()).hexdigest()[:32]
            self.subjects.append(_Subject(f"ratelimit:{scope}:account:{digest}", policy_for(f"{scope}:account"), True))
        if request is not None:
            ip = _ip_subject(client_ip(request))
            self.subjects.append(_Subject(f"ratelimit:{scope}:ip:{ip}", policy_for(f"{scope}:ip"), False))

    def begin(self) -> None:
        for subject in self.subjects:
            wait = _claim(subject)
            if wait is not None:
                self._give_back()
                raise RateLimited(wait)

    def succeeded(self, *, reset_account: bool = True) -> None:
        """The attempt succeeded: it no longer counts, and (with `reset_account`) the account's count starts again.

        An address's count is never reset by a success, or one good login would wipe out a spray of bad ones."""
        for subject in self.subjects:
            if subject.resets_on_success and reset_account:
                cache.delete_many([f"{subject.key}:count", f"{subject.key}:lock"])
                subject.counted = subject.locked_here = False
        self._give_back()

    def _give_back(self) -> None:
        for subject in self.subjects:
            if subject.counted:
                _decrement(f"{subject.key}:count")
                subject.counted = False
            if subject.locked_here:
                cache.delete(f"{subject.key}:lock")
                subject.locked_here = False


def _claim(subject: _Subject) -> int | None:
    """Count one attempt for the subject; None when it may go ahead, else the seconds left to wait."""
    policy = subject.policy
    count_key, lock_key = f"{subject.key}:count", f"{subject.key}:lock"
    now = time.time()
    locked_until = cache.get(lock_key)
    if locked_until is not None and locked_until > now:
        return max(1, math.ceil(locked_until - now))
    cache.add(count_key, 0, timeout=policy.memory)
    try:
        count = cache.incr(count_key)
    except ValueError:  # expired between add and incr
        cache.add(count_key, 1, timeout=policy.memory)
        count = 1
    cache.touch(count_key, policy.memory)
    subject.counted = True
    if count >= policy.free:
        delay = min(policy.delay * 2 ** (count - policy.free), policy.max_delay)
        # add() is atomic: of two parallel attempts past the allowance, only one goes ahead.
        if not cache.add(lock_key, now + delay, timeout=delay):
            _decrement(count_key)
            subject.counted = False
            locked_until = cache.get(lock_key) or now + 1
            return max(1, math.ceil(locked_until - now))
        subject.locked_here = True
    return None


def _decrement(key: str) -> None:
    try:
        if cache.decr(key) < 0:
            cache.delete(key)
    except ValueError:  # already forgotten
        pass
