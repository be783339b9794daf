import pytest
from django.core.cache import cache

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_throttles():
    cache.clear()
    yield
    cache.clear()


def test_token_with_phone_or_username(client):
    user = UserFactory(username="apiuser", phone="13511110000")
    for login in ("apiuser", "13511110000"):
        response = client.post("/api/v1/auth/token/", {"login": login, "password": TEST_PASSWORD})
        assert response.status_code == 200, response.content
        assert response.json()["volunteer_number"] == user.volunteer_number
    token = response.json()["token"]
    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200 and me.json()["username"] == "apiuser"


def test_wrong_password_has_the_error_shape(client):
    UserFactory(username="apiuser")
    response = client.post("/api/v1/auth/token/", {"login": "apiuser", "password": "nope"})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid" and "login" in body["fields"] and body["detail"]


def test_malformed_input_is_a_400_not_a_500(client):
    for payload, content_type in (("{not json", "application/json"), ("[]", "application/json"), ("", "text/plain")):
        response = client.post("/api/v1/auth/token/", payload, content_type=content_type)
        assert 400 <= response.status_code < 500
        assert set(response.json()) == {"error", "detail", "fields"}


def test_token_endpoint_is_rate_limited(client):
    statuses = [client.post("/api/v1/auth/token/", {"login": "x", "password": "y"}).status_code for _ in range(12)]
    assert statuses[-1] == 429
    assert client.post("/api/v1/auth/token/", {"login": "x", "password": "y"}).json()["error"] == "throttled"


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/does-not-exist/")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_me_needs_authentication(client):
    response = client.get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"error", "detail", "fields"}


def test_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/auth/token/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content and b"cdn" not in docs.content.lower()
