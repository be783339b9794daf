"""Reads of the assessments app. What a learner sees of a question never includes answer data unless `review`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.permissions import get_object_for_user_or_404
from assessments.models import (
    Attempt,
    AttemptQuestion,
    AttemptStatus,
    PracticalAssessment,
    QuestionOption,
    QuestionType,
    Quiz,
    ReviewPolicy,
)


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

    @property
    def rank_choices(self) -> range:
        return range(1, len(self.options) + 1)


def attempt_review_allowed(attempt: Attempt) -> bool:
    """May the learner see correct answers and feedback of this attempt (the quiz's review policy)?"""
    if attempt.is_open:
        return False
    policy = attempt.quiz.review_policy
    if policy == ReviewPolicy.AFTER_SUBMIT:
        return True
    if policy == ReviewPolicy.AFTER_PASS:
        return bool(attempt.passed)
    if policy == ReviewPolicy.AFTER_LAST_ATTEMPT:
        if not attempt.quiz.max_attempts:
            return False
        used = (
            Attempt.objects.filter(quiz_id=attempt.quiz_id, user_id=attempt.user_id)
            .exclude(status=AttemptStatus.IN_PROGRESS)
            .count()
        )
        return used >= attempt.quiz.max_attempts
    return False


def attempt_remaining_seconds(attempt: Attempt, now: datetime.datetime | None = None) -> int | None:
    if attempt.deadline is None:
        return None
    return max(0, int((attempt.deadline - (now or timezone.now())).total_seconds()))


def attempt_question_views(attempt: Attempt, *, review: bool) -> list[QuestionView]:
    """The attempt's questions as the learner sees them (two queries whatever the number of questions)."""
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
        view = QuestionView(position=item.position, type=question.type, text=question.text, review=review)
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
                if review:
                    option_view.is_correct = option.is_correct
                    option_view.feedback = option.feedback
                view.options.append(option_view)
        if review:
            view.score = item.score
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
