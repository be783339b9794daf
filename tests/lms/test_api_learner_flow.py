"""The whole learner path through the API alone: token, catalogue, enrolment, lessons, quiz, certificate, verify."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from assessments.models import AttemptQuestion, QuestionOption
from tests.factories import TEST_PASSWORD
from tests.lms.api_helpers import certificate_course, fresh_throttles, token_client  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


def _answers_by_position(attempt_json: dict) -> dict[str, list[int]]:
    """The right answers in display positions, computed from the database (the API never tells them)."""
    answers = {}
    for item in AttemptQuestion.objects.filter(attempt_id=attempt_json["id"]).order_by("position"):
        correct = set(
            QuestionOption.objects.filter(question_id=item.question_id, is_correct=True).values_list("pk", flat=True)
        )
        order = item.option_order
        answers[str(item.position)] = [index for index, option_id in enumerate(order) if option_id in correct]
    return answers


def test_a_learner_completes_a_course_and_verifies_the_certificate_through_the_api_alone(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.LESSON_MIN_READING_FRACTION = 0
    settings.CERTIFICATES_VERIFY_BASE_URL = "http://testserver"
    course, lessons, quiz, _definition = certificate_course(cast.base_x)
    api = APIClient()

    token = api.post("/api/v1/auth/token/", {"login": "learner", "password": TEST_PASSWORD}, format="json")
    assert token.status_code == 200, token.content
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")

    catalogue = api.get("/api/v1/courses/", {"audience": "volunteers"}).json()
    assert course.pk in [entry["id"] for entry in catalogue["results"]]
    detail = api.get(f"/api/v1/courses/{course.pk}/").json()
    assert [lesson["id"] for lesson in detail["lessons"]] == [lesson.pk for lesson in lessons]
    assert [entry["id"] for entry in detail["quizzes"]] == [quiz.pk]
    assert detail["enrollment"] is None

    enrolled = api.post(f"/api/v1/courses/{course.pk}/enrollment/")
    assert enrolled.status_code == 201 and enrolled.json()["status"] == "active"
    assert api.post(f"/api/v1/courses/{course.pk}/enrollment/").status_code == 200  # idempotent

    with django_capture_on_commit_callbacks(execute=True):
        for lesson in lessons:
            page = api.get(f"/api/v1/lessons/{lesson.pk}/").json()
            assert "正文" in page["body_html"] and page["state"]["wait_seconds"] == 0
            done = api.post(f"/api/v1/lessons/{lesson.pk}/completion/")
            assert done.status_code == 200, done.content
    assert done.json()["progress"]["lessons_done"] == len(lessons)
    assert done.json()["completion"] is None  # the quiz is still to pass

    started = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/")
    assert started.status_code == 201, started.content
    attempt = started.json()
    assert attempt["review"] == "none" and attempt["review_allowed"] is False
    for question in attempt["questions"]:  # answer data is not even sent below the "answers" review level
        assert not {"accepted_answers", "correct_order", "explanation"} & set(question)
        assert all(not {"is_correct", "feedback"} & set(option) for option in question["options"])

    answers = _answers_by_position(attempt)
    saved = api.put(f"/api/v1/attempts/{attempt['id']}/answers/", {"answers": answers}, format="json")
    assert saved.status_code == 200 and saved.json()["saved"] == len(answers)

    with django_capture_on_commit_callbacks(execute=True):
        submitted = api.post(f"/api/v1/attempts/{attempt['id']}/submission/", {}, format="json")
    assert submitted.status_code == 200, submitted.content
    result = submitted.json()
    assert result["passed"] is True and result["status"] == "submitted" and result["review"] == "correctness"
    again = api.post(f"/api/v1/attempts/{attempt['id']}/submission/", {}, format="json")
    assert again.status_code == 409 and again.json()["error"] == "attempt_closed"

    progress = api.get("/api/v1/me/progress/").json()
    assert progress["count"] == 1
    row = progress["results"][0]
    assert row["enrollment"]["status"] == "completed" and row["progress"]["rules_met"] is True
    assert row["completion"]["credit_minutes"] == 120

    hours = api.get("/api/v1/me/hours/").json()
    assert hours["learning_hours_total"] == "2.0"

    certificates = api.get("/api/v1/me/certificates/").json()
    assert certificates["count"] == 1
    certificate = certificates["results"][0]
    assert certificate["status"] == "valid" and certificate["title"]
    pdf = api.get(certificate["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")

    verified = APIClient().get(f"/api/v1/verify/{certificate['verification_code']}/")
    assert verified.status_code == 200
    assert verified.json()["valid"] is True and verified.json()["number"] == certificate["number"]

    statements = api.get("/api/v1/me/xapi/statements/").json()
    verbs = sorted(
        (row["statement"]["verb"]["display"]["en-US"], row["statement"]["object"]["definition"]["type"])
        for row in statements["results"]
    )
    expected = [("completed", "lesson")] * len(lessons) + [("passed", "assessment"), ("completed", "course")]
    assert verbs == sorted((verb, f"http://adlnet.gov/expapi/activities/{kind}") for verb, kind in expected)
    actor = statements["results"][0]["statement"]["actor"]
    assert actor["account"]["name"] == cast.learner.volunteer_number and "name" not in actor


def test_finishing_a_lesson_too_soon_says_how_long_is_left(cast, settings):
    settings.LESSON_MIN_READING_FRACTION = 1
    course, lessons, _quiz, _definition = certificate_course(cast.base_x, lessons=1)
    api = token_client(cast.learner)
    assert api.post(f"/api/v1/lessons/{lessons[0].pk}/completion/").json()["error"] == "not_enrolled"
    api.post(f"/api/v1/courses/{course.pk}/enrollment/")
    response = api.post(f"/api/v1/lessons/{lessons[0].pk}/completion/")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid" and response.json()["fields"] == {}
    assert "minute" in response.json()["detail"] or "分钟" in response.json()["detail"]
