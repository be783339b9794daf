"""Guarded attempts: free attempts, then a delay that doubles; successes give their count back (core.ratelimit)."""

import time

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from core.ratelimit import Guard, RateLimited

POLICIES = {
    "demo:account": {"free": 3, "delay": 2, "max_delay": 16, "window": 60},
    "demo:ip": {"free": 5, "delay": 2, "max_delay": 16, "window": 60},
}


@pytest.fixture
def clock(monkeypatch, settings):
    """Time that moves only when the test says so (core.ratelimit and the local-memory cache read time.time)."""
    settings.RATE_LIMITS = POLICIES
    cache.clear()
    now = [time.time()]
    monkeypatch.setattr(time, "time", lambda: now[0])

    def advance(seconds: float) -> None:
        now[0] += seconds

    yield advance
    cache.clear()


def request_from(peer: str):
    return RequestFactory().post("/", REMOTE_ADDR=peer)


def attempt(**kwargs) -> int | None:
    """Begin one attempt; None when it went ahead, else the seconds the guard asked to wait."""
    try:
        Guard("demo", **kwargs).begin()
    except RateLimited as error:
        return error.retry_after
    return None


def test_free_attempts_then_a_delay_that_doubles(clock):
    assert [attempt(account="x") for _ in range(3)] == [None, None, None]
    assert attempt(account="x") == 2  # the third free attempt started a 2-second wait
    clock(2)
    assert attempt(account="x") is None  # the fourth goes ahead and starts a 4-second wait
    clock(3)
    assert attempt(account="x") == 1
    clock(1)
    assert attempt(account="x") is None
    assert attempt(account="x") == 8
    assert attempt(account="y") is None  # another account is not touched


def test_refused_attempts_do_not_lengthen_the_wait(clock):
    for _ in range(3):
        attempt(account="x")
    for _ in range(50):
        assert attempt(account="x") == 2
    clock(2)
    assert attempt(account="x") is None


def test_the_delay_stops_growing_and_the_count_is_forgotten_after_quiet(clock):
    for _ in range(12):
        attempt(account="x")
        clock(16)
    assert attempt(account="x") is None and attempt(account="x") == 16
    clock(60 + 2 * 16)
    assert [attempt(account="x") for _ in range(3)] == [None, None, None]


def test_a_success_starts_the_account_again_but_only_gives_the_address_its_attempt_back(clock):
    for _ in range(2):
        attempt(account="x", request=request_from("198.51.100.1"))
    guard = Guard("demo", account="x", request=request_from("198.51.100.1"))
    guard.begin()
    guard.succeeded()
    assert [attempt(account="x") for _ in range(3)] == [None, None, None]
    # The address kept its two failures: three more free, then it waits.
    assert [attempt(request=request_from("198.51.100.1")) for _ in range(4)] == [None, None, None, 2]


def test_a_refused_subject_gives_back_what_the_others_counted(clock):
    for _ in range(3):
        attempt(account="x")
    for _ in range(10):
        assert attempt(account="x", request=request_from("198.51.100.2")) == 2
    # None of the ten refused attempts counted against the address.
    assert [attempt(request=request_from("198.51.100.2")) for _ in range(5)] == [None] * 5


def test_parallel_attempts_past_the_allowance_cannot_all_go_ahead(clock):
    guards = [Guard("demo", account="x") for _ in range(10)]
    outcomes = []
    for guard in guards:  # every request has begun before any has finished
        try:
            guard.begin()
            outcomes.append("ahead")
        except RateLimited:
            outcomes.append("refused")
    assert outcomes.count("ahead") == 3
