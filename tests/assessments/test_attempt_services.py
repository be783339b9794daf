"""attempt_start / attempt_save_answers / attempt_submit / attempt_close_expired."""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.exceptions import AttemptClosed, AttemptNotAllowed, InvalidAnswer
from assessments.models import Attempt, AttemptQuestion, AttemptStatus, QuestionOption, QuestionType
from assessments.services import (
    GRACE_PERIOD,
    attempt_close_expired,
    attempt_save_answers,
    attempt_start,
    attempt_submit,
)
from assessments.signals import attempt_graded
from tests.assessments.factories import QuestionFactory, quiz_with_questions
from tests.factories import UserFactory

ALL_TYPES = list(QuestionType)


def correct_answers(attempt):
    """The right answer to every question, expressed in display positions as a learner would give it."""
    answers = {}
    for item in attempt.items.select_related("question"):
        options = list(QuestionOption.objects.filter(question=item.question).order_by("sort_order", "id"))
        if item.question.type == QuestionType.FILL:
            answers[item.position] = options[0].text
        elif item.question.type == QuestionType.ORDERING:
            answers[item.position] = [item.option_order.index(option.pk) for option in options]
        else:
            answers[item.position] = [item.option_order.index(o.pk) for o in options if o.is_correct]
    return answers


@pytest.fixture
def graded_signals():
    received = []

    def handler(sender, attempt, **kwargs):
        received.append(attempt.pk)

    attempt_graded.connect(handler)
    yield received
    attempt_graded.disconnect(handler)


def test_start_freezes_questions_and_orders(cast):
    quiz = quiz_with_questions(organization=cast.base_x, count=8, question_count=5, types=ALL_TYPES)
    attempt = attempt_start(quiz=quiz, user=cast.learner)
    items = list(attempt.items.order_by("position"))
    assert [item.position for item in items] == [1, 2, 3, 4, 5]
    assert len({item.question_id for item in items}) == 5
    assert attempt_start(quiz=quiz, user=cast.learner) == attempt  # resuming, not a second draw
    assert list(attempt.items.order_by("position").values_list("question_id", "option_order")) == [
        (item.question_id, item.option_order) for item in items
    ]


def test_ordering_steps_are_never_shown_in_the_correct_order(cast):
    quiz = quiz_with_questions(organization=cast.base_x, count=1, types=[QuestionType.ORDERING], max_attempts=0)
    correct = list(QuestionOption.objects.order_by("sort_order").values_list("pk", flat=True))
    for seed in range(15):
        attempt = attempt_start(quiz=quiz, user=cast.learner, rng=random.Random(seed))
        assert attempt.items.get().option_order != correct
        attempt_submit(attempt=attempt, user=cast.learner)


def test_full_marks_pass_and_signal_fires_once(cast, graded_signals, django_capture_on_commit_callbacks):
    quiz = quiz_with_questions(organization=cast.base_x, count=5, types=ALL_TYPES)
    attempt = attempt_start(quiz=quiz, user=cast.learner)
    with django_capture_on_commit_callbacks(execute=True):
        result = attempt_submit(attempt=attempt, user=cast.learner, answers=correct_answers(attempt))
    assert (result.score, result.max_score, result.percent, result.passed) == (5, 5, 100, True)
    assert graded_signals == [attempt.pk]
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(AttemptClosed):
        attempt_submit(attempt=attempt, user=cast.learner, answers={})
    assert graded_signals == [attempt.pk]


def test_second_submit_is_rejected_and_changes_nothing(cast):
    quiz = quiz_with_questions(organization=cast.base_x, count=3)
    attempt = attempt_start(quiz=quiz, user=cast.learner)
    attempt_submit(attempt=attempt, user=cast.learner, answers={})
    before = list(AttemptQuestion.objects.filter(attempt=attempt).values_list("response", "score"))
    with pytest.raises(AttemptClosed):
        attempt_submit(attempt=attempt, user=cast.learner, answers=correct_answers(attempt))
    attempt.refresh_from_db()
    assert attempt.score == 0 and attempt.passed is False
    assert list(AttemptQuestion.objects.filter(attempt=attempt).values_list("response", "score")) == before
    with pytest.raises(AttemptClosed):
        attempt_save_answers(attempt=attempt, user=cast.learner, answers=correct_answers(attempt))


def test_someone_else_cannot_save_or_submit(cast):
    quiz = quiz_with_questions(organization=cast.base_x, count=2)
    attempt = attempt_start(quiz=quiz, user=cast.learner)
    with pytest.raises(AttemptClosed):
        attempt_save_answers(attempt=attempt, user=cast.outsider, answers={1: [0]})
    with pytest.raises(AttemptClosed):
        attempt_submit(attempt=attempt, user=cast.outsider)
    attempt.refresh_from_db()
    assert attempt.is_open


def test_autosave_stores_option_ids_and_rejects_bad_answers(cast):
    quiz = quiz_with_questions(organization=cast.base_x, count=1, types=[QuestionType.MULTIPLE])
    attempt = attempt_start(quiz=quiz, user=cast.learner)
    item = attempt.items.get()
    assert attempt_save_answers(attempt=attempt, user=cast.learner, answers={1: [2, 0]}) == 1
    item.refresh_from_db()
    assert item.response == sorted([item.option_order[2], item.option_order[0]])
    for bad in ({1: [9]}, {1: "text"}, {1: [0, 0]}, {7: [0]}, {1: [True]}):
        with pytest.raises(InvalidAnswer):
            attempt_save_answers(attempt=attempt, user=cast.learner, answers=bad)
    item.refresh_from_db()
    assert item.response == sorted([item.option_order[2], item.option_order[0]])


def test_answers_after_the_time_limit_and_grace_are_rejected(cast, graded_signals, django_capture_on_commit_callbacks):
    quiz = quiz_with_questions(organization=cast.base_x, count=2, time_limit_minutes=10)
    start = timezone.now()
    attempt = attempt_start(quiz=quiz, user=cast.learner, now=start)
    assert attempt.deadline == start + datetime.timedelta(minutes=10)
    answers = correct_answers(attempt)
    within_grace = attempt.deadline + GRACE_PERIOD - datetime.timedelta(seconds=1)
    attempt_save_answers(attempt=attempt, user=cast.learner, answers={1: answers[1]}, now=within_grace)
    too_late = attempt.deadline + GRACE_PERIOD + datetime.timedelta(seconds=1)
    with pytest.raises(AttemptClosed):
        attempt_save_answers(attempt=attempt, user=cast.learner, answers={2: answers[2]}, now=too_late)
    with django_capture_on_commit_callbacks(execute=True):
        result = attempt_submit(attempt=attempt, user=cast.learner, answers=answers, now=too_late)
    # Graded with what was saved in time: question 1 only.
    assert result.status == AttemptStatus.EXPIRED
    assert result.score == 1
    assert graded_signals == [attempt.pk]


def test_open_attempts_past_their_deadline_are_closed_and_graded(
    cast, graded_signals, django_capture_on_commit_callbacks
):
    quiz = quiz_with_questions(organization=cast.base_x, count=2, time_limit_minutes=5)
    start = timezone.now() - datetime.timedelta(minutes=30)
    overdue = attempt_start(quiz=quiz, user=cast.learner, now=start)
    attempt_save_answers(attempt=overdue, user=cast.learner, answers=correct_answers(overdue), now=start)
    running = attempt_start(quiz=quiz, user=cast.outsider)
    with django_capture_on_commit_callbacks(execute=True):
        assert attempt_close_expired() == 1
        assert attempt_close_expired() == 0
    overdue.refresh_from_db()
    running.refresh_from_db()
    assert (overdue.status, overdue.score, overdue.passed) == (AttemptStatus.EXPIRED, 2, True)
    assert running.is_open
    assert graded_signals == [overdue.pk]


def test_max_attempts_and_cooldown(cast):
    quiz = quiz_with_questions(organization=cast.base_x, count=1, max_attempts=2, cooldown_minutes=10)
    now = timezone.now()
    first = attempt_start(quiz=quiz, user=cast.learner, now=now)
    attempt_submit(attempt=first, user=cast.learner, now=now)
    with pytest.raises(AttemptNotAllowed) as refused:
        attempt_start(quiz=quiz, user=cast.learner, now=now + datetime.timedelta(minutes=5))
    assert refused.value.code == "cooldown"
    second = attempt_start(quiz=quiz, user=cast.learner, now=now + datetime.timedelta(minutes=11))
    assert second.number == 2
    attempt_submit(attempt=second, user=cast.learner, now=now + datetime.timedelta(minutes=12))
    with pytest.raises(AttemptNotAllowed) as refused:
        attempt_start(quiz=quiz, user=cast.learner, now=now + datetime.timedelta(days=1))
    assert refused.value.code == "max_attempts"
    assert Attempt.objects.filter(quiz=quiz, user=cast.learner).count() == 2


def test_draw_by_tag_only_uses_tagged_questions(cast):
    quiz = quiz_with_questions(organization=cast.base_x, count=4, question_count=3, draw_tags="cpr")
    tagged = []
    for question in quiz.bank.questions.all()[:2]:
        question.tags.add("cpr")
        question.save()  # a cluster's tags are written on save
        tagged.append(question.pk)
    attempt = attempt_start(quiz=quiz, user=cast.learner)
    assert sorted(attempt.items.values_list("question_id", flat=True)) == sorted(tagged)


def test_empty_quiz_cannot_start(cast):
    quiz = quiz_with_questions(organization=cast.base_x, count=0, question_count=3)
    with pytest.raises(AttemptNotAllowed):
        attempt_start(quiz=quiz, user=cast.learner)


@pytest.mark.parametrize("count", [5, 50])
def test_submit_runs_in_a_constant_number_of_queries(cast, count, django_assert_num_queries):
    quiz = quiz_with_questions(organization=cast.base_x, count=count, types=ALL_TYPES)
    attempt = attempt_start(quiz=quiz, user=cast.learner)
    answers = correct_answers(attempt)
    # savepoint, claim UPDATE, items+question types, options, one UPDATE of every item, attempt UPDATE, release
    with django_assert_num_queries(7):
        result = attempt_submit(attempt=attempt, user=cast.learner, answers=answers)
    assert result.score == count


@pytest.mark.parametrize("count", [5, 50])
def test_autosave_runs_in_a_constant_number_of_queries(cast, count):
    quiz = quiz_with_questions(organization=cast.base_x, count=count, types=ALL_TYPES)
    attempt = attempt_start(quiz=quiz, user=cast.learner)
    answers = correct_answers(attempt)
    with CaptureQueriesContext(connection) as captured:
        attempt_save_answers(attempt=attempt, user=cast.learner, answers=answers)
    assert len(captured) == 5


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed_a=st.integers(0, 10**6), seed_b=st.integers(0, 10**6), data=st.data())
def test_option_shuffling_never_changes_a_grade_end_to_end(cast, seed_a, seed_b, data):
    """Two attempts with different shuffles, answered with the same options, get the same grade."""
    quiz = quiz_with_questions(organization=cast.base_x, count=4, types=[*ALL_TYPES[:3], QuestionType.ORDERING])
    questions = {
        q.pk: list(q.options.order_by("sort_order", "id").values_list("pk", flat=True))
        for q in quiz.bank.questions.all()
    }
    chosen = {}
    for question_id, option_ids in questions.items():
        question_type = quiz.bank.questions.get(pk=question_id).type
        if question_type == QuestionType.ORDERING:
            chosen[question_id] = data.draw(st.permutations(option_ids))
        elif question_type in (QuestionType.SINGLE, QuestionType.TRUEFALSE):
            chosen[question_id] = data.draw(st.lists(st.sampled_from(option_ids), max_size=1))
        else:
            chosen[question_id] = data.draw(st.lists(st.sampled_from(option_ids), unique=True))
    scores = []
    for seed, user in ((seed_a, UserFactory()), (seed_b, UserFactory())):
        attempt = attempt_start(quiz=quiz, user=user, rng=random.Random(seed))
        answers = {
            item.position: [item.option_order.index(option_id) for option_id in chosen[item.question_id]]
            for item in attempt.items.all()
        }
        result = attempt_submit(attempt=attempt, user=user, answers=answers)
        scores.append(sorted(result.items.values_list("question_id", "score")))
    assert scores[0] == scores[1]


def test_question_factory_types_are_valid():
    from assessments.validation import question_problems

    for question_type in ALL_TYPES:
        question = QuestionFactory.build(type=question_type)
        assert question.type == question_type
    assert question_problems(question_type="single", text="x", options=[("a", True), ("b", True)])
