"""Attempts through the API: answers by display position, no answer data before the review policy allows it,
clear errors for malformed answers, and nobody but the owner reaches an attempt."""

from __future__ import annotations

import pytest

from assessments.models import AttemptQuestion, QuestionType, ReviewPolicy
from tests.assessments.factories import quiz_with_questions
from tests.lms.api_helpers import certificate_course, fresh_throttles, token_client  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]

ANSWER_DATA_KEYS = ("is_correct", "feedback", "accepted_answers", "correct_order", "explanation")


def _practice_quiz(cast, **fields):
    types = [QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.FILL, QuestionType.ORDERING]
    return quiz_with_questions(organization=cast.base_x, count=4, types=types, standalone_open=True, **fields)


def _leaks(attempt: dict) -> list[str]:
    """Answer data anywhere in the attempt: below the "answers" level the keys are not even sent."""
    leaks = []
    for question in attempt["questions"]:
        if set(ANSWER_DATA_KEYS) & set(question):
            leaks.append(f"question {question['position']}")
        for option in question["options"]:
            if set(ANSWER_DATA_KEYS) & set(option):
                leaks.append(f"question {question['position']} option {option['index']}")
    return leaks


def test_no_answer_data_before_the_review_policy_allows_it(cast):
    quiz = _practice_quiz(cast)
    api = token_client(cast.learner)
    attempt = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()
    assert _leaks(attempt) == []
    assert "question_id" not in str(attempt) and "option_id" not in str(attempt)
    submitted = api.post(f"/api/v1/attempts/{attempt['id']}/submission/", {}, format="json").json()
    assert submitted["passed"] is False and submitted["review_allowed"] is False
    assert _leaks(submitted) == []
    assert _leaks(api.get(f"/api/v1/attempts/{attempt['id']}/").json()) == []


def test_answers_are_stored_by_the_position_the_learner_saw(cast):
    quiz = _practice_quiz(cast)
    api = token_client(cast.learner)
    attempt = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()
    single = next(question for question in attempt["questions"] if question["type"] == QuestionType.SINGLE)
    response = api.put(
        f"/api/v1/attempts/{attempt['id']}/answers/", {"answers": {str(single["position"]): [1]}}, format="json"
    )
    assert response.status_code == 200 and response.json()["saved"] == 1
    item = AttemptQuestion.objects.get(attempt_id=attempt["id"], position=single["position"])
    assert item.response == [item.option_order[1]]
    shown = api.get(f"/api/v1/attempts/{attempt['id']}/").json()
    again = next(question for question in shown["questions"] if question["position"] == single["position"])
    assert [option["selected"] for option in again["options"]].index(True) == 1


def test_correct_answers_show_after_submit_when_the_policy_says_so(cast):
    quiz = _practice_quiz(cast, review_policy=ReviewPolicy.IMMEDIATELY, is_practice=True)
    api = token_client(cast.learner)
    attempt = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()
    result = api.post(f"/api/v1/attempts/{attempt['id']}/submission/", {}, format="json").json()
    assert result["review_allowed"] is True
    choice = next(question for question in result["questions"] if question["type"] == QuestionType.SINGLE)
    assert any(option["is_correct"] for option in choice["options"])


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ("not an object", "answers"),
        ({"one": [0]}, "answers"),
        ({"-1": [0]}, "answers"),
        ({"99": [0]}, "answers"),
        ({"1": [42]}, "answers"),
        ({"1": {"nested": True}}, "answers"),
        ({"1": [0.5]}, "answers"),
        ({"1": [True]}, "answers"),
    ],
)
def test_malformed_answers_are_a_400_that_changes_nothing(cast, answers, field):
    quiz = _practice_quiz(cast)
    api = token_client(cast.learner)
    attempt = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()
    response = api.put(f"/api/v1/attempts/{attempt['id']}/answers/", {"answers": answers}, format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["error"] == "invalid" and field in body["fields"] and body["detail"]
    assert not AttemptQuestion.objects.filter(attempt_id=attempt["id"], response__isnull=False).exists()
    submit = api.post(f"/api/v1/attempts/{attempt['id']}/submission/", {"answers": answers}, format="json")
    assert submit.status_code == 400
    assert api.get(f"/api/v1/attempts/{attempt['id']}/").json()["status"] == "in_progress"


def test_an_attempt_is_404_for_everyone_but_its_owner(cast):
    quiz = _practice_quiz(cast)
    attempt = token_client(cast.learner).post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()
    for user in (cast.outsider, cast.coordinator_a, cast.editor_x):
        api = token_client(user)
        assert api.get(f"/api/v1/attempts/{attempt['id']}/").status_code == 404
        put = api.put(f"/api/v1/attempts/{attempt['id']}/answers/", {"answers": {"1": [0]}}, format="json")
        assert put.status_code == 404
        assert api.post(f"/api/v1/attempts/{attempt['id']}/submission/", {}, format="json").status_code == 404
    assert token_client(cast.learner).get(f"/api/v1/attempts/{attempt['id']}/").json()["status"] == "in_progress"


def test_a_course_quiz_needs_an_enrolment_and_a_private_quiz_is_404(cast):
    _course, _lessons, course_quiz, _definition = certificate_course(cast.base_x, lessons=1)
    private = quiz_with_questions(organization=cast.base_y, count=2, standalone_open=False)
    api = token_client(cast.outsider)
    response = api.post(f"/api/v1/quizzes/{course_quiz.pk}/attempts/")
    assert response.status_code == 400 and response.json()["error"] == "not_enrolled"
    assert api.post(f"/api/v1/quizzes/{private.pk}/attempts/").status_code == 404
