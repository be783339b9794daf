"""Reads of the assessments app. What a learner sees of a question never includes answer data unless its review
level is ANSWERS, which only `attempt_review_level` decides (the HTML pages and the API alike)."""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.permissions import get_object_for_user_or_404
from assessments import validation
from assessments.models import (
    Attempt,
    AttemptQuestion,
    PracticalAssessment,
    Question,
    QuestionOption,
    QuestionType,
    Quiz,
    ReviewPolicy,
)

GRACE_PERIOD = datetime.timedelta(seconds=getattr(settings, "ASSESSMENT_GRACE_SECONDS", 30))


class ReviewLevel(enum.StrEnum):
    """How much of a submitted attempt its learner sees."""

    NONE = "none"  # the score only (and nothing while the attempt is open)
    CORRECTNESS = "correctness"  # right or wrong per question, never the answers
    ANSWERS = "answers"  # the answer key: correct options, accepted answers, explanations, feedback


@dataclass
class OptionView:
    index: int  # display position: the only option identifier a learner's page ever carries
    text: str
    selected: bool = False
    rank: int | None = None  # ordering: the place the learner gave this step (1-based)
    is_correct: bool | None = None  # review only
    feedback: str = ""  # review only


@dataclass
class QuestionView:
    position: int
    type: str
    text: str
    options: list[OptionView] = field(default_factory=list)
    fill_value: str = ""
    review: bool = False
    score: Decimal | None = None
    explanation: str = ""
    accepted_answers: list[str] = field(default_factory=list)  # review only
    correct_order: list[str] = field(default_factory=list)  # review only
    outcome: str | None = None  # "correct", "partly_correct" or "incorrect", from CORRECTNESS on

    @property
    def rank_choices(self) -> range:
        return range(1, len(self.options) + 1)


def bank_key_in_use(*, bank_id: int, quiz_id: int, now: datetime.datetime) -> bool:
    """Can another graded quiz still draw on this bank (not a practice quiz, not closed)? Then no review shows the
    bank's answers, whatever the policy (one query)."""
    open_quizzes = Quiz.objects.filter(bank_id=bank_id, is_practice=False).exclude(pk=quiz_id)
    return open_quizzes.filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now - GRACE_PERIOD)).exists()


def quiz_closed(quiz: Quiz, now: datetime.datetime) -> bool:
    """Closed for good: past its close time and the grace in which the last attempts are still submitted."""
    return quiz.closes_at is not None and now >= quiz.closes_at + GRACE_PERIOD


def attempt_review_level(attempt: Attempt, now: datetime.datetime | None = None) -> ReviewLevel:
    """The one rule for what a learner sees of an attempt after submitting it (the quiz's review policy, ADR 0019).

    The answer key is shown only when nobody can use it any more: after the quiz closed (AFTER_CLOSE), or right away
    for a practice quiz (IMMEDIATELY); in both cases only while no other open graded quiz draws on the same bank."""
    if attempt.is_open:
        return ReviewLevel.NONE
    quiz = attempt.quiz
    policy = quiz.review_policy
    if policy == ReviewPolicy.NEVER:
        return ReviewLevel.NONE
    now = now or timezone.now()
    if policy == ReviewPolicy.AFTER_CLOSE:
        reveal = quiz_closed(quiz, now)
    else:
        reveal = policy == ReviewPolicy.IMMEDIATELY and quiz.is_practice
    if reveal and not bank_key_in_use(bank_id=quiz.bank_id, quiz_id=quiz.pk, now=now):
        return ReviewLevel.ANSWERS
    return ReviewLevel.CORRECTNESS


def question_pool_size(*, bank_id: int | None, tags: list[str]) -> int:
    """How many questions a quiz on this bank with these draw tags can pick from (one query)."""
    if bank_id is None:
        return 0
    questions = Question.objects.filter(bank_id=bank_id)
    if tags:
        questions = questions.filter(tags__name__in=tags)
    return questions.values("pk").distinct().count()


def quiz_setting_problems(quiz: Quiz) -> list[str]:
    """What stops this (possibly unsaved) quiz from being saved: validation.quiz_problems with its bank's facts."""
    bank_id = quiz.bank_id
    return validation.quiz_problems(
        is_practice=quiz.is_practice,
        review_policy=quiz.review_policy,
        question_count=quiz.question_count or 0,
        pool_size=question_pool_size(bank_id=bank_id, tags=quiz.tag_list),
        has_course=quiz.course_id is not None,
        closes_at=quiz.closes_at,
        graded_quiz_shares_bank=quiz.is_practice and graded_quiz_shares_bank(bank_id=bank_id, quiz_id=quiz.pk),
    )


def graded_quiz_shares_bank(*, bank_id: int | None, quiz_id: int | None) -> bool:
    """Does a graded (non-practice) quiz other than this one draw on the bank?"""
    if bank_id is None:
        return False
    graded = Quiz.objects.filter(bank_id=bank_id, is_practice=False)
    return (graded.exclude(pk=quiz_id) if quiz_id is not None else graded).exists()


def attempt_remaining_seconds(attempt: Attempt, now: datetime.datetime | None = None) -> int | None:
    if attempt.deadline is None:
        return None
    return max(0, int((attempt.deadline - (now or timezone.now())).total_seconds()))


def _outcome(score: Decimal | None) -> str | None:
    if score is None:
        return None
    if score >= 1:
        return "correct"
    return "partly_correct" if score > 0 else "incorrect"


def attempt_question_views(attempt: Attempt, *, review: ReviewLevel = ReviewLevel.NONE) -> list[QuestionView]:
    """The attempt's questions as the learner sees them at this review level (two queries whatever their number):
    answer data only at ANSWERS, right or wrong from CORRECTNESS on."""
    answers = review == ReviewLevel.ANSWERS
    outcomes = review in (ReviewLevel.CORRECTNESS, ReviewLevel.ANSWERS)
    items = (
        AttemptQuestion.objects.filter(attempt=attempt)
        .select_related("question")
        .prefetch_related(Prefetch("question__options", queryset=QuestionOption.objects.order_by("sort_order", "id")))
        .order_by("position")
    )
    views = []
    for item in items:
        question = item.question
        options = {option.pk: option for option in question.options.all()}
        response = item.response
        view = QuestionView(position=item.position, type=question.type, text=question.text, review=answers)
        if question.type == QuestionType.FILL:
            view.fill_value = response if isinstance(response, str) else ""
        else:
            chosen = response if isinstance(response, list) else []
            for index, option_id in enumerate(item.option_order):
                option = options.get(option_id)
                if option is None:  # removed by an editor after the attempt started
                    continue
                option_view = OptionView(index=index, text=option.text)
                if question.type == QuestionType.ORDERING:
                    option_view.rank = chosen.index(option_id) + 1 if option_id in chosen else None
                else:
                    option_view.selected = option_id in chosen
                if answers:
                    option_view.is_correct = option.is_correct
                    option_view.feedback = option.feedback
                view.options.append(option_view)
        if outcomes:
            view.score = item.score
            view.outcome = _outcome(item.score)
        if answers:
            view.explanation = question.explanation
            if question.type == QuestionType.FILL:
                view.accepted_answers = [option.text for option in options.values()]
            if question.type == QuestionType.ORDERING:
                view.correct_order = [option.text for option in options.values()]
        views.append(view)
    return views


def quiz_preview_views(quiz: Quiz, *, limit: int = 200) -> list[QuestionView]:
    """Every question of the quiz's pool as a learner would see it (authored option order, no answer data)."""
    questions = quiz.bank.questions.prefetch_related(
        Prefetch("options", queryset=QuestionOption.objects.order_by("sort_order", "id"))
    ).order_by("id")
    if quiz.tag_list:
        questions = questions.filter(tags__name__in=quiz.tag_list).distinct()
    return [
        QuestionView(
            position=position,
            type=question.type,
            text=question.text,
            options=[OptionView(index=index, text=option.text) for index, option in enumerate(question.options.all())]
            if question.type != QuestionType.FILL
            else [],
        )
        for position, question in enumerate(questions[:limit], start=1)
    ]


def attempts_of_user(*, quiz: Quiz, user: User) -> QuerySet[Attempt]:
    return Attempt.objects.filter(quiz=quiz, user=user).order_by("-number")


def practical_assessments_of_learner(*, learner: User) -> QuerySet[PracticalAssessment]:
    return (
        PracticalAssessment.objects.filter(learner=learner)
        .select_related("rubric", "assessor")
        .prefetch_related("results__item")
        .order_by("-assessed_on", "-created_at")
    )


def own_attempt_or_404(user: User, attempt_id: int, **lookup) -> Attempt:
    """The user's own attempt (with its quiz and bank), through the permission service: anyone else's is a 404.

    The one ownership check for attempts, used by the quiz pages, the course player and the API; `lookup` narrows
    further (the course player passes the enrolment's course)."""
    return get_object_for_user_or_404(  # type: ignore[return-value]
        user, "view_own", Attempt.objects.select_related("quiz__bank"), pk=attempt_id, **lookup
    )
