"""API tokens: hashed, one per device, expiring, ended by a password change, listed and revoked by their owner."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

from accounts.models import ApiToken
from tests.factories import TEST_PASSWORD, UserFactory
from tests.lms.api_helpers import fresh_throttles  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


def issue(login: str, password: str = TEST_PASSWORD, **extra) -> dict:
    response = APIClient().post("/api/v1/auth/token/", {"login": login, "password": password, **extra}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def api(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_the_token_answer_keeps_its_shape_and_only_a_digest_is_stored(settings):
    user = UserFactory(username="app")
    body = issue("app", device="Pixel 8")
    assert {"token", "user_id", "volunteer_number", "token_id", "expires_at"} <= set(body)
    assert body["user_id"] == user.pk
    stored = ApiToken.objects.get(pk=body["token_id"])
    assert stored.name == "Pixel 8" and body["token"] not in {stored.digest, stored.password_fingerprint}
    expires = datetime.datetime.fromisoformat(body["expires_at"])
    assert abs(expires - (timezone.now() + settings.API_TOKEN_TTL)) < datetime.timedelta(minutes=1)
    assert api(body["token"]).get("/api/v1/me/").json()["username"] == "app"


@pytest.mark.parametrize("header", ["Token not-a-real-token", "Token ", "Token a b"])
def test_a_bad_token_is_a_401_with_www_authenticate(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["error"] == "authentication_failed"


def test_no_credentials_is_a_401_with_www_authenticate():
    response = APIClient().get("/api/v1/me/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert response.json()["error"] == "not_authenticated"


def test_an_expired_token_is_a_401_and_is_deleted():
    UserFactory(username="app")
    body = issue("app")
    ApiToken.objects.filter(pk=body["token_id"]).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = api(body["token"]).get("/api/v1/me/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert not ApiToken.objects.filter(pk=body["token_id"]).exists()


def test_use_slides_the_expiry_but_never_past_the_maximum_age(settings):
    UserFactory(username="app")
    body = issue("app")
    token = ApiToken.objects.get(pk=body["token_id"])
    two_days_ago = timezone.now() - datetime.timedelta(days=2)
    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=two_days_ago, expires_at=token.expires_at - datetime.timedelta(days=2)
    )
    assert api(body["token"]).get("/api/v1/me/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > two_days_ago
    assert abs(token.expires_at - (timezone.now() + settings.API_TOKEN_TTL)) < datetime.timedelta(minutes=1)
    # Near its maximum age a token stops sliding.
    created = timezone.now() - settings.API_TOKEN_MAX_AGE + datetime.timedelta(days=1)
    ApiToken.objects.filter(pk=token.pk).update(created_at=created, last_used_at=two_days_ago)
    assert api(body["token"]).get("/api/v1/me/").status_code == 200
    token.refresh_from_db()
    assert token.expires_at == created + settings.API_TOKEN_MAX_AGE


def test_fixed_expiry_when_sliding_is_off(settings):
    settings.API_TOKEN_SLIDING = False
    UserFactory(username="app")
    body = issue("app")
    token = ApiToken.objects.get(pk=body["token_id"])
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - datetime.timedelta(days=2))
    assert api(body["token"]).get("/api/v1/me/").status_code == 200
    assert ApiToken.objects.get(pk=token.pk).expires_at == token.expires_at


def test_changing_the_password_ends_every_token_and_every_other_session():
    user = UserFactory(username="changer")
    phone_app, tablet_app = issue("changer", device="phone")["token"], issue("changer", device="tablet")["token"]
    other_browser = Client()
    other_browser.force_login(user, backend="accounts.backends.UsernameOrPhoneBackend")
    browser = Client()
    browser.force_login(user, backend="accounts.backends.UsernameOrPhoneBackend")
    response = browser.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "Brand-New-Secret-77", "new_password2": "Brand-New-Secret-77"},
    )
    assert response.status_code == 302
    assert api(phone_app).get("/api/v1/me/").status_code == 401
    assert api(tablet_app).get("/api/v1/me/").status_code == 401
    assert browser.get(reverse("accounts:profile")).status_code == 200  # this session stays
    assert other_browser.get(reverse("accounts:profile")).status_code == 302  # the other one is logged out
    assert issue("changer", password="Brand-New-Secret-77")["token"]


def test_a_password_reset_ends_every_token_and_every_session():
    user = UserFactory(username="forgetful")
    key = issue("forgetful")["token"]
    browser = Client()
    browser.force_login(user, backend="accounts.backends.UsernameOrPhoneBackend")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    confirm = Client()
    start = confirm.get(
        reverse("accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(user)])
    )
    response = confirm.post(start["Location"], {"new_password1": "Reset-Secret-55", "new_password2": "Reset-Secret-55"})
    assert response.status_code == 302
    assert api(key).get("/api/v1/me/").status_code == 401
    assert browser.get(reverse("accounts:profile")).status_code == 302


def test_a_password_set_anywhere_else_ends_the_tokens_too():
    user = UserFactory(username="admin_reset")
    key = issue("admin_reset")["token"]
    user.set_password("Set-By-The-Admin-11")
    user.save()
    assert api(key).get("/api/v1/me/").status_code == 401


def test_one_token_per_device_and_the_owner_lists_and_revokes_them(cast):
    first_phone = issue("learner", device="phone")
    second_phone = issue("learner", device="phone")
    tablet = issue("learner", device="tablet")
    assert api(first_phone["token"]).get("/api/v1/me/").status_code == 401  # replaced by the second
    listing = api(tablet["token"]).get("/api/v1/me/tokens/").json()
    rows = {row["device"]: row for row in listing["results"]}
    assert set(rows) == {"phone", "tablet"} and listing["count"] == 2
    assert rows["tablet"]["current"] is True and rows["phone"]["current"] is False
    assert {"id", "created_at", "last_used_at", "expires_at"} <= set(rows["phone"])
    assert api(tablet["token"]).delete(f"/api/v1/me/tokens/{second_phone['token_id']}/").status_code == 204
    assert api(second_phone["token"]).get("/api/v1/me/").status_code == 401
    assert api(tablet["token"]).get("/api/v1/me/").status_code == 200


def test_someone_elses_token_is_a_404_and_stays_valid(cast):
    learners = issue("learner", device="phone")
    outsiders = issue("outsider", device="phone")
    response = api(outsiders["token"]).delete(f"/api/v1/me/tokens/{learners['token_id']}/")
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    assert learners["token_id"] not in [
        row["id"] for row in api(outsiders["token"]).get("/api/v1/me/tokens/").json()["results"]
    ]
    browser = Client()
    browser.force_login(cast.outsider, backend="accounts.backends.UsernameOrPhoneBackend")
    assert browser.post(reverse("accounts:token_revoke", args=[learners["token_id"]])).status_code == 404
    assert api(learners["token"]).get("/api/v1/me/").status_code == 200


def test_the_tokens_page_lists_devices_and_revokes(cast, client_for):
    phone = issue("learner", device="Redmi Note")
    issue("learner", device="iPad")
    browser = client_for(cast.learner)
    page = browser.get(reverse("accounts:tokens")).content.decode()
    assert "<td>Redmi Note</td>" in page and "<td>iPad</td>" in page and phone["token"] not in page
    assert browser.post(reverse("accounts:token_revoke", args=[phone["token_id"]])).status_code == 302
    assert api(phone["token"]).get("/api/v1/me/").status_code == 401
    assert "<td>Redmi Note</td>" not in browser.get(reverse("accounts:tokens")).content.decode()
    assert browser.post(reverse("accounts:tokens_revoke_all")).status_code == 302
    assert not ApiToken.objects.filter(user=cast.learner).exists()
    assert browser.get(reverse("accounts:tokens")).status_code == 200  # the session is not a token


def test_a_user_keeps_at_most_the_configured_number_of_tokens(settings):
    settings.API_TOKENS_PER_USER = 3
    UserFactory(username="collector")
    keys = [issue("collector", device=f"device {n}")["token"] for n in range(5)]
    assert ApiToken.objects.filter(user__username="collector").count() == 3
    assert [api(key).get("/api/v1/me/").status_code for key in keys] == [401, 401, 200, 200, 200]
