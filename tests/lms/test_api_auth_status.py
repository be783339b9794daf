"""No or a wrong token is a 401 with a WWW-Authenticate challenge (docs/api.md "Errors"), never a 403; a good token
is let in. DRF answers 401 only when the first authentication class names a challenge (the token class does; the
session class does not), so the order of DEFAULT_AUTHENTICATION_CLASSES is the contract."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


def _assert_challenged(response, error: str) -> None:
    assert response.status_code == 401, (response.status_code, response.content)
    assert response["WWW-Authenticate"].startswith("Token")
    assert response.json()["error"] == error


@pytest.mark.parametrize("path", ["/api/v1/me/", "/api/v1/me/progress/"])
def test_a_bad_token_is_a_401_with_a_challenge(path):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    _assert_challenged(client.get(path), "authentication_failed")


@pytest.mark.parametrize("path", ["/api/v1/me/", "/api/v1/me/progress/"])
def test_no_credentials_is_a_401_with_a_challenge(path):
    _assert_challenged(APIClient().get(path), "not_authenticated")


def test_a_good_token_is_let_in(cast):
    client = APIClient()
    issued = client.post("/api/v1/auth/token/", {"login": "learner", "password": cast.password}, format="json")
    assert issued.status_code == 200, issued.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {issued.json()['token']}")
    response = client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["username"] == "learner"
