"""Standalone quiz views: owner-only attempts, no answer data before review, constant queries."""

import json
import re

import pytest
from django.urls import reverse

from assessments.models import Attempt, QuestionOption, QuestionType, ReviewPolicy
from assessments.services import attempt_start, attempt_submit
from tests.assessments.factories import QuestionFactory, quiz_with_questions

ALL_TYPES = list(QuestionType)


def secret_texts(quiz):
    """Texts that only answer data contains: accepted fill answers, explanations, option feedback."""
    texts = set(
        QuestionOption.objects.filter(question__bank=quiz.bank, question__type=QuestionType.FILL).values_list(
            "text", flat=True
        )
    )
    texts |= set(quiz.bank.questions.values_list("explanation", flat=True))
    return {text for text in texts if text}


@pytest.fixture
def quiz(cast):
    quiz = quiz_with_questions(organization=cast.base_x, count=5, types=ALL_TYPES, time_limit_minutes=20)
    QuestionOption.objects.filter(question__bank=quiz.bank).update(feedback="选项反馈：答对了吗")
    QuestionOption.objects.filter(question__bank=quiz.bank, question__type=QuestionType.FILL).update(text="秘密答案")
    return quiz


def test_learner_takes_a_quiz_and_sees_no_answer_data(cast, client_for, quiz):
    client = client_for(cast.learner)
    response = client.post(reverse("assessments:quiz_start", args=[quiz.pk]))
    attempt = Attempt.objects.get(user=cast.learner)
    assert response.url == reverse("assessments:attempt_detail", args=[attempt.pk])
    page = client.get(response.url).content.decode()
    for text in secret_texts(quiz) | {"选项反馈", "Correct answer", "正确答案"}:
        assert text not in page
    # Options are named by display position (0..n-1), never by database id.
    values = re.findall(r'name="choice-(\d+)" value="(\d+)"', page)
    by_question = {}
    for position, value in values:
        by_question.setdefault(position, []).append(int(value))
    assert by_question and all(sorted(found) == list(range(len(found))) for found in by_question.values())
    single = attempt.items.get(question__type=QuestionType.SINGLE).position
    answers = client.post(
        reverse("assessments:attempt_answers", args=[attempt.pk]),
        {"positions": [str(single)], f"choice-{single}": ["0"]},
    )
    body = answers.json()
    assert set(body) == {"saved", "remaining_seconds"} and 0 < body["remaining_seconds"] <= 1200
    assert not any(text in json.dumps(body, ensure_ascii=False) for text in secret_texts(quiz))


def test_review_shows_answers_only_when_the_policy_allows(cast, client_for, quiz):
    assert quiz.review_policy == ReviewPolicy.CORRECTNESS  # the default: right or wrong, never the answers
    attempt = attempt_start(quiz=quiz, user=cast.learner)
    attempt_submit(attempt=attempt, user=cast.learner)  # nothing answered: failed
    page = client_for(cast.learner).get(reverse("assessments:attempt_detail", args=[attempt.pk])).content.decode()
    assert "0%" in page
    assert not any(text in page for text in secret_texts(quiz))
    quiz.review_policy, quiz.is_practice = ReviewPolicy.IMMEDIATELY, True  # a practice quiz on a bank of its own
    quiz.save()
    page = client_for(cast.learner).get(reverse("assessments:attempt_detail", args=[attempt.pk])).content.decode()
    assert any(text in page for text in secret_texts(quiz))


@pytest.mark.parametrize("who", ["outsider", "coordinator_a", "editor_x"])
def test_attempt_urls_are_404_for_anyone_but_the_owner(cast, client_for, quiz, who):
    attempt = attempt_start(quiz=quiz, user=cast.learner)
    client = client_for(getattr(cast, who))
    assert client.get(reverse("assessments:attempt_detail", args=[attempt.pk])).status_code == 404
    assert (
        client.post(
            reverse("assessments:attempt_answers", args=[attempt.pk]), {"positions": ["1"], "choice-1": ["0"]}
        ).status_code
        == 404
    )
    assert client.post(reverse("assessments:attempt_submit", args=[attempt.pk])).status_code == 404
    attempt.refresh_from_db()
    assert attempt.is_open and not attempt.items.exclude(response=None).exists()


def test_closed_quiz_is_404_for_outsiders_but_its_editors_can_try_it(cast, client_for, quiz):
    quiz.standalone_open = False
    quiz.save()
    assert client_for(cast.outsider).get(reverse("assessments:quiz_detail", args=[quiz.pk])).status_code == 404
    assert client_for(cast.outsider).post(reverse("assessments:quiz_start", args=[quiz.pk])).status_code == 404
    assert not Attempt.objects.exists()
    assert client_for(cast.editor_x).get(reverse("assessments:quiz_detail", args=[quiz.pk])).status_code == 200


def test_anonymous_users_are_sent_to_log_in(client, quiz):
    response = client.get(reverse("assessments:quiz_detail", args=[quiz.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_submit_twice_by_form_is_rejected(cast, client_for, quiz):
    client = client_for(cast.learner)
    attempt = attempt_start(quiz=quiz, user=cast.learner)
    url = reverse("assessments:attempt_submit", args=[attempt.pk])
    client.post(url, {"positions": ["1"]})
    attempt.refresh_from_db()
    first = (attempt.submitted_at, attempt.score)
    response = client.post(url, {"positions": ["1"], "choice-1": ["0"]}, follow=True)
    assert "already been submitted" in response.content.decode() or "已经提交" in response.content.decode()
    attempt.refresh_from_db()
    assert (attempt.submitted_at, attempt.score) == first
    closed = client.post(reverse("assessments:attempt_answers", args=[attempt.pk]), {"positions": ["1"]})
    assert closed.status_code == 409


def test_bad_autosave_input_is_a_clear_400(cast, client_for, quiz):
    attempt = attempt_start(quiz=quiz, user=cast.learner)
    response = client_for(cast.learner).post(
        reverse("assessments:attempt_answers", args=[attempt.pk]), {"positions": ["1"], "choice-1": ["99"]}
    )
    assert response.status_code == 400 and "1" in response.json()["error"]


def test_ordering_answers_from_the_form_are_graded(cast, client_for):
    quiz = quiz_with_questions(organization=cast.base_x, count=1, types=[QuestionType.ORDERING])
    attempt = attempt_start(quiz=quiz, user=cast.learner)
    item = attempt.items.get()
    correct = list(QuestionOption.objects.order_by("sort_order").values_list("pk", flat=True))
    form = {"positions": ["1"]}
    for display_index, option_id in enumerate(item.option_order):
        form[f"order-1-{display_index}"] = str(correct.index(option_id) + 1)
    client_for(cast.learner).post(reverse("assessments:attempt_submit", args=[attempt.pk]), form)
    attempt.refresh_from_db()
    assert attempt.score == 1


def test_attempt_pages_query_count_does_not_grow_with_questions(cast, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(cast.learner)
    counts = {}
    for count in (5, 50):
        quiz = quiz_with_questions(organization=cast.base_x, count=count, types=ALL_TYPES)
        attempt = attempt_start(quiz=quiz, user=cast.learner)
        url = reverse("assessments:attempt_detail", args=[attempt.pk])
        with CaptureQueriesContext(connection) as taking:
            assert client.get(url).status_code == 200
        attempt_submit(attempt=attempt, user=cast.learner)
        with CaptureQueriesContext(connection) as reviewing:
            assert client.get(url).status_code == 200
        counts[count] = (len(taking), len(reviewing))
    assert counts[5] == counts[50]
    assert counts[5][0] <= 7 and counts[5][1] <= 8


def test_learner_sees_own_practical_results_only(cast, client_for):
    from django.utils import timezone

    from accounts.constants import Role
    from accounts.services import membership_add
    from assessments.services import practical_assessment_record
    from tests.assessments.factories import RubricFactory
    from tests.factories import UserFactory

    assessor = UserFactory()
    membership_add(user=assessor, organization=cast.base_x, role=Role.ASSESSOR)
    rubric = RubricFactory(organization=cast.base_x)
    practical_assessment_record(
        rubric=rubric,
        learner=cast.learner,
        assessor=assessor,
        assessed_on=timezone.localdate(),
        place="实训室一",
        results={"scene": True, "call": True, "compressions": True, "aed": True},
    )
    mine = client_for(cast.learner).get(reverse("assessments:practical_results")).content.decode()
    assert "实训室一" in mine and "心肺复苏实操考核" in mine
    theirs = client_for(cast.outsider).get(reverse("assessments:practical_results")).content.decode()
    assert "实训室一" not in theirs


def test_fill_question_factory_answer_is_a_secret(cast):
    question = QuestionFactory(type=QuestionType.FILL, bank__organization=cast.base_x)
    assert question.options.get().text == "119"
