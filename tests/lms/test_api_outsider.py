"""An outsider's token gets 404 for every other user's objects: enrolments, attempts, certificates, statements."""

from __future__ import annotations

import pytest

from assessments.services import attempt_start
from certificates.models import Certificate
from courses.models import Enrollment
from tests.certificates.factories import complete
from tests.lms.api_helpers import certificate_course, fresh_throttles, token_client  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


@pytest.fixture
def learner_objects(cast, settings, django_capture_on_commit_callbacks):
    settings.CERTIFICATES_VERIFY_BASE_URL = "http://testserver"
    course, _lessons, quiz, _definition = certificate_course(cast.base_x, lessons=1)
    with django_capture_on_commit_callbacks(execute=True):
        complete(cast.learner, course)
    attempt = attempt_start(quiz=quiz, user=cast.learner)
    return {
        "enrollment": Enrollment.objects.get(user=cast.learner),
        "certificate": Certificate.objects.get(learner=cast.learner),
        "attempt": attempt,
    }


def _urls(objects) -> list[tuple[str, str]]:
    enrollment, certificate, attempt = objects["enrollment"], objects["certificate"], objects["attempt"]
    return [
        ("get", f"/api/v1/enrollments/{enrollment.pk}/"),
        ("get", f"/api/v1/certificates/{certificate.pk}/pdf/"),
        ("get", f"/api/v1/attempts/{attempt.pk}/"),
        ("put", f"/api/v1/attempts/{attempt.pk}/answers/"),
        ("post", f"/api/v1/attempts/{attempt.pk}/submission/"),
    ]


def test_the_owner_reaches_their_objects(cast, learner_objects):
    api = token_client(cast.learner)
    for method, url in _urls(learner_objects)[:3]:
        assert getattr(api, method)(url).status_code == 200, url


@pytest.mark.parametrize("who", ["outsider", "coordinator_b", "editor_x"])
def test_everyone_else_gets_404_in_the_error_shape(cast, learner_objects, who):
    api = token_client(getattr(cast, who))
    for method, url in _urls(learner_objects):
        response = getattr(api, method)(url, {"answers": {"1": [0]}}, format="json")
        assert response.status_code == 404, (who, url, response.status_code)
        assert set(response.json()) == {"error", "detail", "fields"} and response.json()["error"] == "not_found"
    for mine in ("/api/v1/me/progress/", "/api/v1/me/certificates/", "/api/v1/me/xapi/statements/"):
        assert api.get(mine).json()["count"] == 0, mine


def test_the_issuer_may_download_the_pdf_but_not_the_learners_attempt(cast, learner_objects):
    from accounts.constants import Role
    from accounts.services import membership_add

    issuer = cast.coordinator_b
    membership_add(user=issuer, organization=cast.base_x, role=Role.COORDINATOR)
    api = token_client(issuer)
    assert api.get(f"/api/v1/certificates/{learner_objects['certificate'].pk}/pdf/").status_code == 200
    assert api.get(f"/api/v1/attempts/{learner_objects['attempt'].pk}/").status_code == 404
