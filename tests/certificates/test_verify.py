"""The public verification page and API: masked holder, status, revocation on the next request, 404, rate limit."""

import pytest
from django.urls import reverse

from accounts.constants import Role
from accounts.services import membership_add
from certificates.services import certificate_issue_for_completion, certificate_revoke
from tests.certificates.factories import complete, course_with_definition
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(cast):
    _curriculum, course, _definition = course_with_definition(cast.base_x)
    return certificate_issue_for_completion(completion=complete(cast.learner, course))[0]


def _verify(client, code):
    return client.get(reverse("certificates:verify", kwargs={"code": code}))


def _api(client, code):
    return client.get(reverse("api:certificate-verify", kwargs={"code": code}))


def test_the_page_shows_a_valid_certificate_with_the_name_masked(client, certificate, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = _verify(client, certificate.verification_code)
    assert response.status_code == 200
    html = response.content.decode()
    assert "张*员" in html and "张学员" not in html
    assert certificate.number in html and "X 培训基地" in html
    assert 'data-testid="verify-status"' in html and "badge-success" in html
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_api_gives_the_same_as_json(client, certificate):
    response = _api(client, certificate.verification_code)
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "valid" and data["valid"] is True
    assert data["holder"] == "张*员"
    assert data["number"] == certificate.number
    assert data["issuer"] == "X 培训基地"
    assert data["certified"] == certificate.context["certified"]
    assert data["revoked_on"] is None
    assert data["verify_url"].endswith(f"/verify/{certificate.verification_code}/")


def test_unknown_codes_get_404(client, certificate):
    assert _verify(client, "no-such-code-123").status_code == 404
    assert _api(client, "no-such-code-123").status_code == 404
    assert _verify(client, certificate.number).status_code == 404  # the number is not the code


def test_revocation_shows_on_the_very_next_request(client, certificate, cast):
    assert "badge-success" in _verify(client, certificate.verification_code).content.decode()
    assert _api(client, certificate.verification_code).json()["valid"] is True
    issuer = UserFactory()
    membership_add(user=issuer, organization=cast.base_x, role=Role.ADMIN)
    revoked = certificate_revoke(certificate=certificate, actor=issuer, reason="证书信息有误")
    html = _verify(client, certificate.verification_code).content.decode()
    assert "badge-success" not in html and "badge-danger" in html
    assert revoked.revoked_at.astimezone().strftime("%Y-%m-%d") in html
    data = _api(client, certificate.verification_code).json()
    assert data["status"] == "revoked" and data["valid"] is False and data["revoked_on"]


def test_the_page_is_rate_limited_per_client(client, certificate, settings):
    settings.CERTIFICATES_VERIFY_RATE = (3, 60)
    statuses = [_verify(client, f"guess-{n}").status_code for n in range(3)]
    assert statuses == [404, 404, 404]
    assert _verify(client, certificate.verification_code).status_code == 429
    other_client = client_class_for(client)
    assert _verify(other_client, certificate.verification_code).status_code == 200


def test_the_api_is_rate_limited_per_client(client, certificate, settings):
    settings.CERTIFICATES_VERIFY_RATE = (2, 60)
    assert [_api(client, f"guess-{n}").status_code for n in range(2)] == [404, 404]
    assert _api(client, certificate.verification_code).status_code == 429


def client_class_for(client):
    from django.test import Client

    return Client(REMOTE_ADDR="10.9.8.7")
