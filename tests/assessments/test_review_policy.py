"""Review after submit must not hand out the answer key of questions still in the bank (attack: throwaway accounts
submit blank attempts, read the review, and a fresh account scores 100%)."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assessments.exceptions import AttemptNotAllowed
from assessments.models import QuestionOption, QuestionType, Quiz, ReviewPolicy
from assessments.selectors import GRACE_PERIOD, ReviewLevel, attempt_review_level, quiz_setting_problems
from assessments.services import attempt_start, attempt_submit
from tests.assessments.factories import QuizFactory, quiz_with_questions
from tests.courses.factories import enrol, learning_course
from tests.factories import UserFactory
from tests.lms.api_helpers import fresh_throttles, token_client  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]

ALL_TYPES = [
    QuestionType.SINGLE,
    QuestionType.MULTIPLE,
    QuestionType.TRUEFALSE,
    QuestionType.FILL,
    QuestionType.ORDERING,
]
ANSWER_KEYS = {"is_correct", "feedback", "explanation", "accepted_answers", "correct_order"}
CHOICE_TYPES = (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUEFALSE)  # 6 of the 10: one is drawn


def _answer_data(value) -> set[str]:
    """Every answer-data key present anywhere in a JSON value."""
    found: set[str] = set()
    if isinstance(value, dict):
        found |= ANSWER_KEYS & set(value)
        for item in value.values():
            found |= _answer_data(item)
    elif isinstance(value, list):
        for item in value:
            found |= _answer_data(item)
    return found


def _secrets(quiz) -> set[str]:
    texts = set(
        QuestionOption.objects.filter(question__bank=quiz.bank, question__type=QuestionType.FILL).values_list(
            "text", flat=True
        )
    )
    return texts | set(quiz.bank.questions.values_list("explanation", flat=True))


@pytest.fixture
def graded_quiz(cast):
    """A quiz as an editor creates it, without choosing a review policy: it must default to the safe one."""
    quiz = quiz_with_questions(organization=cast.base_x, count=10, types=ALL_TYPES, question_count=5)
    QuestionOption.objects.filter(question__bank=quiz.bank).update(feedback="选项反馈")
    QuestionOption.objects.filter(question__bank=quiz.bank, question__type=QuestionType.FILL).update(text="秘密答案")
    return quiz


def test_throwaway_accounts_harvest_no_key_from_the_review(graded_quiz, client_for):
    """The attack: three throwaway accounts submit blank attempts and read each review, by API and by page."""
    harvested: set[str] = set()
    for number in range(3):
        account = UserFactory(username=f"throwaway{number}")
        api = token_client(account)
        attempt = api.post(f"/api/v1/quizzes/{graded_quiz.pk}/attempts/").json()
        submitted = api.post(f"/api/v1/attempts/{attempt['id']}/submission/", {}, format="json").json()
        review = api.get(f"/api/v1/attempts/{attempt['id']}/").json()
        harvested |= _answer_data(submitted) | _answer_data(review)
        page = client_for(account).get(reverse("assessments:attempt_detail", args=[attempt["id"]])).content.decode()
        harvested |= {text for text in _secrets(graded_quiz) | {"选项反馈", "Correct answer"} if text in page}
    assert harvested == set()


def _submit_blank(quiz, user):
    attempt = attempt_start(quiz=quiz, user=user)
    return attempt_submit(attempt=attempt, user=user)


def test_the_default_shows_right_or_wrong_per_question_by_api_and_page(cast, graded_quiz, client_for):
    assert graded_quiz.review_policy == ReviewPolicy.CORRECTNESS
    api = token_client(cast.learner)
    attempt = api.post(f"/api/v1/quizzes/{graded_quiz.pk}/attempts/").json()
    assert attempt["review"] == "none" and _answer_data(attempt) == set()
    assert all(question["outcome"] is None and question["score"] is None for question in attempt["questions"])
    answers = {"1": [0]} if attempt["questions"][0]["type"] in ("single", "truefalse", "multiple") else {}
    result = api.post(f"/api/v1/attempts/{attempt['id']}/submission/", {"answers": answers}, format="json").json()
    assert result["review"] == "correctness" and result["review_allowed"] is False
    assert {question["outcome"] for question in result["questions"]} <= {"correct", "partly_correct", "incorrect"}
    assert all(question["score"] is not None for question in result["questions"])
    assert _answer_data(result) == set()
    page = client_for(cast.learner).get(reverse("assessments:attempt_detail", args=[attempt["id"]])).content.decode()
    assert page.count('data-testid="question-outcome"') == 5
    assert not any(text in page for text in _secrets(graded_quiz) | {"选项反馈", "quiz-option-correct"})


def test_the_course_player_review_obeys_the_same_rule(cast, client_for):
    built = learning_course(cast.base_x, lessons=1)
    QuestionOption.objects.filter(question__bank=built.quiz.bank).update(feedback="选项反馈")
    enrollment = enrol(cast.learner, built.course)
    attempt = _submit_blank(built.quiz, cast.learner)
    url = reverse("courses:player_attempt", args=[enrollment.pk, attempt.pk])
    page = client_for(cast.learner).get(url).content.decode()
    assert 'data-testid="question-outcome"' in page
    assert not any(text in page for text in _secrets(built.quiz) | {"选项反馈", "quiz-option-correct"})


def test_score_only_shows_no_question_at_all(cast, graded_quiz, client_for):
    graded_quiz.review_policy = ReviewPolicy.NEVER
    graded_quiz.save()
    attempt = _submit_blank(graded_quiz, cast.learner)
    body = token_client(cast.learner).get(f"/api/v1/attempts/{attempt.pk}/").json()
    assert body["review"] == "none" and _answer_data(body) == set()
    assert all(question["outcome"] is None for question in body["questions"])
    page = client_for(cast.learner).get(reverse("assessments:attempt_detail", args=[attempt.pk])).content.decode()
    assert 'data-testid="question-outcome"' not in page and 'data-testid="review-note"' in page


def test_after_close_shows_the_key_once_every_quiz_of_the_bank_has_closed(cast, graded_quiz):
    closes = timezone.now() + datetime.timedelta(hours=1)
    graded_quiz.review_policy, graded_quiz.closes_at = ReviewPolicy.AFTER_CLOSE, closes
    graded_quiz.save()
    attempt = _submit_blank(graded_quiz, cast.learner)
    assert attempt_review_level(attempt) == ReviewLevel.CORRECTNESS
    after = closes + GRACE_PERIOD + datetime.timedelta(seconds=1)
    assert attempt_review_level(attempt, now=closes) == ReviewLevel.CORRECTNESS  # open attempts may still submit
    assert attempt_review_level(attempt, now=after) == ReviewLevel.ANSWERS
    # Another graded quiz, still open, draws on the same bank: its questions are still in use, the key stays hidden.
    QuizFactory(bank=graded_quiz.bank, question_count=2)
    assert attempt_review_level(attempt, now=after) == ReviewLevel.CORRECTNESS


def test_the_api_shows_the_key_only_at_the_answers_level(cast, graded_quiz):
    graded_quiz.review_policy = ReviewPolicy.AFTER_CLOSE
    graded_quiz.closes_at = timezone.now() + datetime.timedelta(minutes=5)
    graded_quiz.save()
    api = token_client(cast.learner)
    attempt = api.post(f"/api/v1/quizzes/{graded_quiz.pk}/attempts/").json()
    assert _answer_data(api.post(f"/api/v1/attempts/{attempt['id']}/submission/", {}, format="json").json()) == set()
    Quiz.objects.filter(pk=graded_quiz.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=5))
    review = api.get(f"/api/v1/attempts/{attempt['id']}/").json()
    assert review["review"] == "answers" and review["review_allowed"] is True
    assert _answer_data(review) == ANSWER_KEYS
    choices = [question for question in review["questions"] if question["type"] in CHOICE_TYPES]
    assert choices and all(any(option["is_correct"] for option in question["options"]) for question in choices)


def test_no_attempt_starts_after_the_close_and_open_ones_end_at_it(cast, graded_quiz, client_for):
    closes = timezone.now() + datetime.timedelta(minutes=5)
    graded_quiz.time_limit_minutes, graded_quiz.closes_at = 60, closes
    graded_quiz.save()
    page = client_for(cast.learner).get(reverse("assessments:quiz_detail", args=[graded_quiz.pk])).content.decode()
    assert 'data-testid="quiz-closes-at"' in page
    attempt = attempt_start(quiz=graded_quiz, user=cast.learner)
    assert attempt.deadline == closes
    attempt_submit(attempt=attempt, user=cast.learner)
    with pytest.raises(AttemptNotAllowed) as error:
        attempt_start(quiz=graded_quiz, user=cast.learner, now=closes)
    assert error.value.code == "closed"


def test_a_practice_quiz_shows_the_answers_unless_a_graded_quiz_shares_its_bank(cast, graded_quiz):
    practice = QuizFactory(bank=graded_quiz.bank, is_practice=True, review_policy=ReviewPolicy.IMMEDIATELY)
    attempt = _submit_blank(practice, cast.learner)
    assert attempt_review_level(attempt) == ReviewLevel.CORRECTNESS  # graded_quiz draws on the same bank
    assert quiz_setting_problems(practice) != []
    graded_quiz.delete()
    assert attempt_review_level(attempt) == ReviewLevel.ANSWERS
    assert quiz_setting_problems(practice) == []


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"review_policy": ReviewPolicy.IMMEDIATELY}, "quiz_immediate_review_only_for_practice"),
        ({"review_policy": ReviewPolicy.AFTER_CLOSE}, "quiz_review_after_close_needs_a_close"),
        ({"is_practice": True}, "quiz_practice_has_no_course"),
    ],
)
def test_the_database_refuses_a_policy_that_would_give_the_key_away(cast, fields, constraint):
    built = learning_course(cast.base_x, lessons=1, quiz=False)
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        QuizFactory(course=built.course, **fields)


def test_old_policies_that_showed_the_key_migrate_to_correctness(cast, graded_quiz):
    migration = importlib.import_module("assessments.migrations.0003_review_policies")
    others = [QuizFactory(bank=graded_quiz.bank, review_policy=ReviewPolicy.NEVER)]
    for old in migration.OLD_POLICIES_SHOWING_THE_KEY:
        others.append(QuizFactory(bank=graded_quiz.bank))
        Quiz.objects.filter(pk=others[-1].pk).update(review_policy=old)
    migration.to_safe_policies(django_apps, None)
    policies = dict(Quiz.objects.filter(pk__in=[quiz.pk for quiz in others]).values_list("pk", "review_policy"))
    assert policies[others[0].pk] == ReviewPolicy.NEVER
    assert [policies[quiz.pk] for quiz in others[1:]] == [ReviewPolicy.CORRECTNESS] * 3
