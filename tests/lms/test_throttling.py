"""The attacks of the security review, run against the real pages and endpoints (ADR 0021).

Login, the API token endpoint and the CMS login share one limit in the login backend: per account (a success starts
it again) and per client address (wrong passwords only, so a classroom behind one address is never slowed). Sign-up,
password reset and the verify page have limits of their own; every limit keys the client by core.ratelimit.client_ip.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.certificates.factories import complete, course_with_definition
from tests.factories import TEST_PASSWORD, UserFactory
from tests.lms.api_helpers import fresh_throttles  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]

CLASSROOM = "198.51.100.20"


def web_login(client, login: str, password: str):
    return client.post(reverse("accounts:login"), {"username": login, "password": password})


def test_sixty_wrong_passwords_in_a_row_then_the_right_one_does_not_get_in(client):
    victim = UserFactory(username="victim", phone="13500001111")
    answers = [web_login(client, "victim", f"guess-{n}") for n in range(60)]
    assert all(response.status_code == 200 for response in answers)  # the form again, never a login
    assert "Too many attempts" in answers[-1].content.decode() or "尝试次数过多" in answers[-1].content.decode()
    final = web_login(client, "victim", TEST_PASSWORD)
    assert final.status_code == 200 and "_auth_user_id" not in client.session
    # The phone number is the same account: no second allowance.
    assert web_login(Client(REMOTE_ADDR="203.0.113.50"), victim.phone, TEST_PASSWORD).status_code == 200


def test_the_wait_then_the_right_password_gets_in_and_starts_the_count_again(client, monkeypatch):
    import time

    UserFactory(username="owner")
    for n in range(5):
        web_login(client, "owner", f"typo-{n}")
    assert "_auth_user_id" not in client.session
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 3)  # the first delay (2 s) has passed
    assert web_login(client, "owner", TEST_PASSWORD).status_code == 302
    client.logout()
    assert [web_login(client, "owner", f"typo-{n}").status_code for n in range(4)] == [200] * 4
    assert web_login(client, "owner", TEST_PASSWORD).status_code == 302


def test_forty_pupils_behind_one_address_all_log_in_even_with_typos():
    pupils = [UserFactory(username=f"pupil{n:02d}") for n in range(40)]
    for pupil in pupils:
        browser = Client(REMOTE_ADDR=CLASSROOM)
        assert web_login(browser, pupil.username, "wrong-once").status_code == 200
        assert web_login(browser, pupil.username, TEST_PASSWORD).status_code == 302, pupil.username


def test_the_token_endpoint_has_the_same_limit_and_answers_429_with_retry_after():
    UserFactory(username="apiuser")
    api = APIClient(REMOTE_ADDR="203.0.113.7")
    statuses = [
        api.post("/api/v1/auth/token/", {"login": "apiuser", "password": "nope"}, format="json").status_code
        for _ in range(8)
    ]
    assert statuses[:5] == [400] * 5 and statuses[-1] == 429
    blocked = api.post("/api/v1/auth/token/", {"login": "apiuser", "password": TEST_PASSWORD}, format="json")
    assert blocked.status_code == 429 and blocked.json()["error"] == "throttled"
    assert int(blocked["Retry-After"]) >= 1
    # The web login counts the same account.
    assert web_login(Client(REMOTE_ADDR="203.0.113.8"), "apiuser", TEST_PASSWORD).status_code == 200


def test_forty_apps_behind_one_address_all_get_a_token():
    pupils = [UserFactory(username=f"app{n:02d}") for n in range(40)]
    api = APIClient(REMOTE_ADDR=CLASSROOM)
    for pupil in pupils:
        response = api.post("/api/v1/auth/token/", {"login": pupil.username, "password": TEST_PASSWORD}, format="json")
        assert response.status_code == 200, (pupil.username, response.json())


def test_the_cms_login_shows_the_wait_instead_of_an_error_page(client):
    UserFactory(username="editor", is_staff=True)
    for n in range(5):
        client.post("/cms/login/", {"username": "editor", "password": f"guess-{n}"})
    response = client.post("/cms/login/", {"username": "editor", "password": TEST_PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_a_spoofed_forwarded_for_does_not_give_a_fresh_address(settings):
    settings.TRUSTED_PROXIES = []
    spray = [UserFactory(username=f"sprayed{n}") for n in range(3)]
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "login:ip": {"free": 4, "delay": 60, "max_delay": 60, "window": 600},
    }
    for n, user in enumerate(spray):
        for attempt in range(2):
            Client(REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR=f"10.0.{n}.{attempt}").post(
                reverse("accounts:login"), {"username": user.username, "password": "wrong"}
            )
    # Six wrong passwords from one address whatever the header said: the address waits, even with a right password.
    fresh_user = UserFactory(username="untouched")
    browser = Client(REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert web_login(browser, fresh_user.username, TEST_PASSWORD).status_code == 200
    assert web_login(Client(REMOTE_ADDR="203.0.113.67"), fresh_user.username, TEST_PASSWORD).status_code == 302


def test_behind_a_trusted_proxy_each_client_counts_alone(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "login:ip": {"free": 2, "delay": 60, "max_delay": 60, "window": 600},
    }
    UserFactory(username="behind")
    for _ in range(3):
        Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1").post(
            reverse("accounts:login"), {"username": "nobody", "password": "x"}
        )
    proxied = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert web_login(proxied, "behind", TEST_PASSWORD).status_code == 302
    blocked = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert web_login(blocked, "behind", TEST_PASSWORD).status_code == 200


def test_the_api_throttle_ignores_a_spoofed_forwarded_for(settings, monkeypatch):
    from core.ratelimit import AnonRateThrottle

    settings.TRUSTED_PROXIES = []
    monkeypatch.setattr(AnonRateThrottle, "rate", "3/min", raising=False)
    statuses = [
        APIClient(REMOTE_ADDR="203.0.113.70", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}").get("/api/v1/courses/").status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


def signup_data(n: int) -> dict:
    return {
        "username": f"newcomer{n}",
        "real_name": "新同学",
        "phone": f"1360000{n:04d}",
        "password1": "Serve-Others-88!",
        "password2": "Serve-Others-88!",
    }


def test_a_class_signs_up_from_one_address_but_a_bot_is_slowed(settings):
    for n in range(40):
        response = Client(REMOTE_ADDR=CLASSROOM).post(reverse("accounts:signup"), signup_data(n))
        assert response.status_code == 302, n
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "signup:ip": {"free": 3, "delay": 60, "max_delay": 60, "window": 600},
    }
    bot = [Client(REMOTE_ADDR="203.0.113.90").post(reverse("accounts:signup"), signup_data(100 + n)) for n in range(5)]
    assert [response.status_code for response in bot] == [302, 302, 302, 429, 429]


def test_password_reset_is_limited_per_address_and_per_email():
    UserFactory(email="target@example.cn")
    url = reverse("accounts:password_reset")
    statuses = [
        Client(REMOTE_ADDR=f"203.0.113.{n}").post(url, {"email": "target@example.cn"}).status_code for n in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3  # no mail bombing of one person from many addresses


def test_the_verify_page_slows_a_guesser_but_not_a_class_checking_its_certificates(cast, settings):
    _curriculum, course, _definition = course_with_definition(cast.base_x)
    from certificates.services import certificate_issue_for_completion

    certificate = certificate_issue_for_completion(completion=complete(cast.learner, course))[0]
    url = reverse("certificates:verify", kwargs={"code": certificate.verification_code})
    for _ in range(60):
        assert Client(REMOTE_ADDR=CLASSROOM).get(url).status_code == 200
    settings.CERTIFICATES_VERIFY_RATE = (5, 60)
    guesser = Client(REMOTE_ADDR="203.0.113.99")
    misses = [guesser.get(reverse("certificates:verify", kwargs={"code": f"guess-{n}"})).status_code for n in range(8)]
    assert misses[:5] == [404] * 5 and misses[5:] == [429] * 3
    assert int(guesser.get(url)["Retry-After"]) >= 1


def test_the_verify_api_ignores_a_spoofed_forwarded_for(settings):
    settings.TRUSTED_PROXIES = []
    settings.CERTIFICATES_VERIFY_RATE = (2, 60)
    statuses = [
        APIClient(REMOTE_ADDR="203.0.113.71", HTTP_X_FORWARDED_FOR=f"10.8.8.{n}")
        .get(reverse("api:certificate-verify", kwargs={"code": f"guess-{n}"}))
        .status_code
        for n in range(3)
    ]
    assert statuses == [404, 404, 429]
