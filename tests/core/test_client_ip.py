"""One client address for every limit: X-Forwarded-For counts only when the peer is a trusted proxy (ADR 0021)."""

import pytest
from django.test import RequestFactory
from rest_framework.request import Request

from core.ratelimit import AnonRateThrottle, Guard, client_ip

factory = RequestFactory()


def request_from(peer: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return factory.get("/", **extra)


def test_a_spoofed_header_from_an_untrusted_peer_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from("203.0.113.9", "1.2.3.4")) == "203.0.113.9"
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request_from("203.0.113.9", "1.2.3.4, 10.0.0.5")) == "203.0.113.9"


def test_behind_trusted_proxies_the_nearest_untrusted_hop_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.1"]
    # The client wrote "1.2.3.4" itself; the proxies appended what they saw: 198.51.100.7, then the first proxy.
    request = request_from("10.0.0.2", "1.2.3.4, 198.51.100.7, 192.0.2.1")
    assert client_ip(request) == "198.51.100.7"


def test_every_hop_trusted_gives_the_farthest_and_garbage_stops_the_walk(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request_from("10.0.0.2", "10.1.1.1")) == "10.1.1.1"
    assert client_ip(request_from("10.0.0.2", "not-an-ip, 10.1.1.1")) == "10.1.1.1"
    assert client_ip(request_from("10.0.0.2")) == "10.0.0.2"


def test_ipv4_mapped_and_ipv6_addresses(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8:ffff::/48"]
    assert client_ip(request_from("::ffff:10.0.0.2", "2001:db8::1")) == "2001:db8::1"
    assert client_ip(request_from("2001:db8:ffff::3", "::ffff:198.51.100.7")) == "198.51.100.7"


def test_drf_throttles_and_guards_key_by_the_same_address(settings):
    settings.TRUSTED_PROXIES = []
    throttle = AnonRateThrottle()
    honest = Request(request_from("203.0.113.9"))
    spoofed = Request(request_from("203.0.113.9", "1.2.3.4"))
    assert throttle.get_ident(honest) == throttle.get_ident(spoofed) == "203.0.113.9"
    assert Guard("login", request=spoofed).subjects[-1].key == Guard("login", request=honest).subjects[-1].key


def test_one_ipv6_customer_is_one_subject(settings):
    settings.TRUSTED_PROXIES = []
    first = Guard("login", request=request_from("2001:db8:1:2::1")).subjects[-1].key
    second = Guard("login", request=request_from("2001:db8:1:2:ffff::9")).subjects[-1].key
    other = Guard("login", request=request_from("2001:db8:1:3::1")).subjects[-1].key
    assert first == second != other


@pytest.mark.parametrize("value", ["10.0.0.0/8,not-a-network", "300.1.1.1"])
def test_a_bad_trusted_proxy_setting_fails_loudly(monkeypatch, value):
    from django.core.exceptions import ImproperlyConfigured

    from lms.env import env_networks

    monkeypatch.setenv("TRUSTED_PROXIES", value)
    with pytest.raises(ImproperlyConfigured):
        env_networks("TRUSTED_PROXIES")
