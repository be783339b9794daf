"""A graded quiz draws from a bank at least ASSESSMENT_BANK_DRAW_FACTOR times its draw, each attempt at random with
options shuffled, so that neither one attempt's questions nor one leaked key cover the next attempt."""

from __future__ import annotations

import random

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.importing.yaml_bank import parse_bank
from assessments.models import Quiz, ReviewPolicy
from assessments.services import attempt_start, attempt_submit, quiz_ensure
from assessments.validation import BANK_DRAW_FACTOR
from tests.assessments.factories import QuestionBankFactory, QuestionFactory, quiz_with_questions
from tests.fk_scoping_helpers import admin_form_data, admin_user

pytestmark = pytest.mark.django_db

QUIZ_ADD = "wagtailsnippets_assessments_quiz:add"


def _bank(organization, size: int, **question_fields):
    bank = QuestionBankFactory(organization=organization)
    for _number in range(size):
        QuestionFactory(bank=bank, **question_fields)
    return bank


def test_quiz_ensure_refuses_a_graded_quiz_whose_bank_is_too_small(cast):
    assert BANK_DRAW_FACTOR == 2
    bank = _bank(cast.base_x, 9)
    with pytest.raises(ValidationError) as error:
        quiz_ensure(bank=bank, key="small", title="小题库测验", question_count=5)
    assert "at least 10" in error.value.messages[0]
    assert not Quiz.objects.filter(key="small").exists()
    QuestionFactory(bank=bank)
    assert quiz_ensure(bank=bank, key="small", title="小题库测验", question_count=5).pk


def test_the_draw_tags_count_not_the_whole_bank(cast):
    bank = _bank(cast.base_x, 10)
    for question in list(bank.questions.all())[:3]:
        question.tags.add("cpr")
        question.save()  # a cluster's tags are written with the question
    with pytest.raises(ValidationError) as error:
        quiz_ensure(bank=bank, key="tagged", title="按标签", question_count=2, draw_tags="cpr")
    assert "has 3 questions" in error.value.messages[0]
    assert quiz_ensure(bank=bank, key="tagged", title="按标签", question_count=1, draw_tags="cpr").pk


def test_a_practice_quiz_may_draw_its_whole_bank(cast):
    bank = _bank(cast.base_x, 3)
    quiz = quiz_ensure(
        bank=bank, key="practice", title="练习", question_count=3, is_practice=True, review_policy="immediately"
    )
    assert quiz.is_practice and quiz.review_policy == ReviewPolicy.IMMEDIATELY


def test_the_admin_form_says_why_the_bank_is_too_small(cast, client_for):
    admin_user(cast.editor_x)
    bank = _bank(cast.base_x, 7)
    client = client_for(cast.editor_x)
    data = admin_form_data(client.get(reverse(QUIZ_ADD)), title="急救测验", key="admin-quiz", bank=bank.pk)
    response = client.post(reverse(QUIZ_ADD), {**data, "question_count": 4})
    assert response.status_code == 200 and not Quiz.objects.filter(key="admin-quiz").exists()
    errors = " ".join(response.context["form"].non_field_errors())
    assert "只有 7 道" in errors and "至少需要 8 道" in errors  # the editor reads it in Chinese
    response = client.post(reverse(QUIZ_ADD), {**data, "question_count": 3})
    assert response.status_code == 302 and Quiz.objects.get(key="admin-quiz").question_count == 3
    response = client.post(
        reverse(QUIZ_ADD), {**data, "key": "admin-quiz-2", "question_count": 3, "review_policy": "immediately"}
    )
    assert response.status_code == 200 and "练习测验" in " ".join(response.context["form"].non_field_errors())


def test_each_attempt_draws_its_own_questions_and_option_order(cast):
    quiz = quiz_with_questions(organization=cast.base_x, count=20, question_count=10, max_attempts=0)
    draws = []
    for seed in range(6):
        attempt = attempt_start(quiz=quiz, user=cast.learner, rng=random.Random(seed))
        draws.append([(item.question_id, tuple(item.option_order)) for item in attempt.items.order_by("position")])
        attempt_submit(attempt=attempt, user=cast.learner)
    question_sets = [frozenset(question for question, _order in draw) for draw in draws]
    assert all(len(questions) == 10 for questions in question_sets)
    assert len(set(question_sets)) == len(draws)  # no two attempts drew the same questions
    assert len(frozenset().union(*question_sets)) > 10  # together they reach past one attempt's share
    orders = {question: set() for questions in question_sets for question in questions}
    for draw in draws:
        for question, order in draw:
            orders[question].add(order)
    assert any(len(seen) > 1 for seen in orders.values())  # the same question's options come in other orders


def test_a_bank_yaml_whose_draw_is_too_large_is_refused():
    text = (
        "bank: {key: tiny, title: 小题库, organization: volunteer-college}\n"
        "quiz: {title: 小测验, question_count: 2, review_policy: after_submit}\n"
        "questions:\n"
        "  - {key: q1, type: truefalse, text: 发现火情应拨打 119。, answer: true, explanation: 火警电话是 119。}\n"
        "  - {key: q2, type: truefalse, text: 急救电话是 110。, answer: false, explanation: 急救电话是 120。}\n"
        "  - {key: q3, type: truefalse, text: 报警电话是 110。, answer: true, explanation: 报警电话是 110。}\n"
    )
    document = parse_bank(text)
    assert any("at least 4" in problem for problem in document.problems)
    assert document.quiz["review_policy"] == ReviewPolicy.CORRECTNESS  # an old policy that showed the key
