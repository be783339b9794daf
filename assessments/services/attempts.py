"""Attempt services: start, autosave, submit once, close at the deadline.

Answers cross the service boundary "as the learner sees the question": option positions in the attempt's frozen
display order, never option ids (ids would hint at the authored order, e.g. of ordering steps). By question type:

- single, truefalse: [display_index] (or [] to clear)
- multiple: [display_index, ...]
- fill: "text"
- ordering: [display_index_or_None, ...], one slot per step: slot k holds the step the learner put k-th.

They are stored as option ids, so a grade never depends on the display order.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from assessments.exceptions import AttemptClosed, AttemptNotAllowed, InvalidAnswer
from assessments.grading import OptionKey, grade_response, percent_of
from assessments.models import Attempt, AttemptQuestion, AttemptStatus, Question, QuestionOption, QuestionType, Quiz
from assessments.selectors import GRACE_PERIOD
from assessments.signals import attempt_graded
from core.bulk import bulk_update_rows

MAX_FILL_LENGTH = 200
_system_random = random.SystemRandom()


def _past_grace(attempt: Attempt, now: datetime.datetime) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + GRACE_PERIOD


def _display_order(question_type: str, option_ids: list[int], shuffle: bool, rng: random.Random) -> list[int]:
    """The order a learner sees the options in. Ordering steps are always shuffled away from the correct order."""
    if question_type == QuestionType.FILL:
        return []
    order = list(option_ids)
    if question_type == QuestionType.ORDERING:
        if len(order) > 1:
            for _try in range(20):
                rng.shuffle(order)
                if order != option_ids:
                    break
            if order == option_ids:
                order = order[1:] + order[:1]
        return order
    if shuffle and question_type != QuestionType.TRUEFALSE:
        rng.shuffle(order)
    return order


def _draw(quiz: Quiz, rng: random.Random) -> list[tuple[int, str]]:
    questions = Question.objects.filter(bank_id=quiz.bank_id)
    if quiz.tag_list:
        questions = questions.filter(tags__name__in=quiz.tag_list).distinct()
    pool = list(questions.order_by("id").values_list("id", "type"))
    return rng.sample(pool, min(quiz.question_count, len(pool)))


@transaction.atomic
def attempt_start(
    *, quiz: Quiz, user: User, now: datetime.datetime | None = None, rng: random.Random | None = None
) -> Attempt:
    """Start an attempt, or return the open one (idempotent while it is open); freezes questions and orders.
    Refused once the quiz has closed; an attempt's deadline is never later than the quiz's close."""
    now = now or timezone.now()
    rng = rng or _system_random
    open_attempt = Attempt.objects.filter(quiz=quiz, user=user, status=AttemptStatus.IN_PROGRESS).first()
    if open_attempt is not None:
        if not _past_grace(open_attempt, now):
            return open_attempt
        attempt_close(attempt_id=open_attempt.pk, now=now)

    if quiz.closes_at is not None and now >= quiz.closes_at:
        raise AttemptNotAllowed(
            _("This quiz closed at %(time)s.")
            % {"time": timezone.localtime(quiz.closes_at).strftime("%Y-%m-%d %H:%M")},
            code="closed",
        )
    finished = Attempt.objects.filter(quiz=quiz, user=user).exclude(status=AttemptStatus.IN_PROGRESS)
    summary = finished.aggregate(count=Max("number"), last_closed=Max("submitted_at"))
    used = summary["count"] or 0
    if quiz.max_attempts and used >= quiz.max_attempts:
        raise AttemptNotAllowed(
            _("You have used all %(count)d attempts of this quiz.") % {"count": quiz.max_attempts}, code="max_attempts"
        )
    if quiz.cooldown_minutes and summary["last_closed"] is not None:
        ready_at = summary["last_closed"] + datetime.timedelta(minutes=quiz.cooldown_minutes)
        if now < ready_at:
            raise AttemptNotAllowed(
                _("You may try again at %(time)s.") % {"time": timezone.localtime(ready_at).strftime("%Y-%m-%d %H:%M")},
                code="cooldown",
            )
    drawn = _draw(quiz, rng)
    if not drawn:
        raise AttemptNotAllowed(_("This quiz has no questions yet."), code="empty")

    deadline = now + datetime.timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    if quiz.closes_at is not None and (deadline is None or quiz.closes_at < deadline):
        deadline = quiz.closes_at  # every attempt ends by the close, so that "after close" reveals to nobody in time
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                quiz=quiz, user=user, number=used + 1, started_at=now, deadline=deadline, max_score=len(drawn)
            )
    except IntegrityError:
        # A concurrent start won the race for the one open attempt: resume it.
        return Attempt.objects.get(quiz=quiz, user=user, status=AttemptStatus.IN_PROGRESS)

    options_by_question: dict[int, list[int]] = {question_id: [] for question_id, _type in drawn}
    for question_id, option_id in (
        QuestionOption.objects.filter(question_id__in=options_by_question)
        .order_by("question_id", "sort_order", "id")
        .values_list("question_id", "id")
    ):
        options_by_question[question_id].append(option_id)
    AttemptQuestion.objects.bulk_create(
        [
            AttemptQuestion(
                attempt=attempt,
                question_id=question_id,
                position=position,
                option_order=_display_order(question_type, options_by_question[question_id], quiz.shuffle_options, rng),
            )
            for position, (question_id, question_type) in enumerate(drawn, start=1)
        ]
    )
    return attempt


@dataclass(slots=True)
class _Item:
    """One question of an attempt as grading needs it: plain values, no model instances (scenario 2 of the benchmark
    found building 20 AttemptQuestion and Question objects per submit the largest cost of the request)."""

    pk: int
    position: int
    option_order: list[int]
    response: Any
    question_id: int
    question_type: str
    score: Decimal | None = None


def _items(attempt_id: int, positions: list[int] | None = None) -> list[_Item]:
    rows = AttemptQuestion.objects.filter(attempt_id=attempt_id)
    if positions is not None:
        rows = rows.filter(position__in=positions)
    return [
        _Item(*row)
        for row in rows.order_by("position").values_list(
            "id", "position", "option_order", "response", "question_id", "question__type"
        )
    ]


def _to_stored(item: _Item, question_type: str, answer: Any) -> Any:
    """Validate one answer given in display positions and return it in option ids (None clears it)."""
    order = item.option_order

    def option_at(index: Any) -> int:
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(order):
            raise InvalidAnswer(
                _("Question %(position)d: that option does not exist.") % {"position": item.position}, code="option"
            )
        return order[index]

    if answer is None or answer == []:  # nothing chosen: a cleared answer, whatever the type
        return None
    if question_type == QuestionType.FILL:
        if not isinstance(answer, str):
            raise InvalidAnswer(_("Question %(position)d: type your answer as text.") % {"position": item.position})
        if len(answer) > MAX_FILL_LENGTH:
            raise InvalidAnswer(
                _("Question %(position)d: the answer is longer than %(max)d characters.")
                % {"position": item.position, "max": MAX_FILL_LENGTH}
            )
        return answer.strip() or None
    if not isinstance(answer, list):
        raise InvalidAnswer(_("Question %(position)d: the answer has the wrong form.") % {"position": item.position})
    if question_type in (QuestionType.SINGLE, QuestionType.TRUEFALSE):
        if len(answer) > 1:
            raise InvalidAnswer(_("Question %(position)d: choose only one option.") % {"position": item.position})
        return [option_at(answer[0])] if answer else None
    if question_type == QuestionType.MULTIPLE:
        chosen = [option_at(index) for index in answer]
        if len(set(chosen)) != len(chosen):
            raise InvalidAnswer(_("Question %(position)d: an option is chosen twice.") % {"position": item.position})
        return sorted(chosen) or None
    # ordering
    if len(answer) != len(order):
        raise InvalidAnswer(_("Question %(position)d: place every step once.") % {"position": item.position})
    slots = [None if index is None else option_at(index) for index in answer]
    placed = [option_id for option_id in slots if option_id is not None]
    if len(set(placed)) != len(placed):
        raise InvalidAnswer(
            _("Question %(position)d: two places hold the same step.") % {"position": item.position}, code="duplicate"
        )
    return slots if placed else None


def _apply_answers(items: Mapping[int, _Item], answers: Mapping[int, Any]) -> list[_Item]:
    changed = []
    for position, answer in answers.items():
        item = items.get(position)
        if item is None:
            raise InvalidAnswer(_("There is no question %(position)s in this attempt.") % {"position": position})
        item.response = _to_stored(item, item.question_type, answer)
        changed.append(item)
    return changed


@transaction.atomic
def attempt_save_answers(
    *, attempt: Attempt, user: User, answers: Mapping[int, Any], now: datetime.datetime | None = None
) -> int:
    """Autosave answers of an open attempt within its time; returns how many were saved. Idempotent."""
    now = now or timezone.now()
    # The row lock orders this save against a concurrent submit (PostgreSQL); SQLite serialises writers anyway.
    locked = Attempt.objects.select_for_update().filter(pk=attempt.pk, user=user).first()
    if locked is None or not locked.is_open:
        raise AttemptClosed(_("This attempt has already been submitted."), code="submitted")
    if _past_grace(locked, now):
        raise AttemptClosed(_("The time for this attempt is up; answers are no longer accepted."), code="time_up")
    if not answers:
        return 0
    items = {item.position: item for item in _items(locked.pk, positions=list(answers))}
    changed = _apply_answers(items, answers)
    bulk_update_rows(AttemptQuestion, ["response"], [(item.pk, item.response) for item in changed])
    return len(changed)


def _grade_claimed(attempt: Attempt, answers: Mapping[int, Any] | None) -> Attempt:
    """Grade an attempt this transaction has just claimed (its status and submission time already set on `attempt`);
    a fixed number of queries whatever its length."""
    attempt_id = attempt.pk
    items = _items(attempt_id)
    keys: dict[int, list[OptionKey]] = defaultdict(list)
    for option_id, question_id, text, is_correct, sort_order in (
        QuestionOption.objects.filter(question_id__in={item.question_id for item in items})
        .order_by("sort_order", "id")
        .values_list("id", "question_id", "text", "is_correct", "sort_order")
    ):
        keys[question_id].append(OptionKey(option_id, text, is_correct, sort_order))
    if answers:
        _apply_answers({item.position: item for item in items}, answers)
    total = Decimal("0")
    for item in items:
        item.score = grade_response(item.question_type, keys[item.question_id], item.response)
        total += item.score
    bulk_update_rows(AttemptQuestion, ["response", "score"], [(item.pk, item.response, item.score) for item in items])
    attempt.score = total
    attempt.max_score = Decimal(len(items))
    attempt.percent = percent_of(total, attempt.max_score)
    attempt.passed = attempt.percent >= attempt.quiz.pass_mark
    Attempt.objects.filter(pk=attempt_id).update(
        score=attempt.score, max_score=attempt.max_score, percent=attempt.percent, passed=attempt.passed
    )
    transaction.on_commit(lambda: attempt_graded.send(sender=Attempt, attempt=attempt))
    return attempt


@transaction.atomic
def attempt_submit(
    *, attempt: Attempt, user: User, answers: Mapping[int, Any] | None = None, now: datetime.datetime | None = None
) -> Attempt:
    """Grade the attempt once. Not idempotent by design: a second submit raises AttemptClosed and changes nothing.

    Answers sent past the deadline + grace are discarded; the attempt is then closed as expired and graded with what
    was saved in time.
    """
    now = now or timezone.now()
    late = attempt.deadline is not None and now > attempt.deadline + GRACE_PERIOD
    # The claim: exactly one caller turns this row from in_progress; a racing submit finds nothing to update.
    status = AttemptStatus.EXPIRED if late else AttemptStatus.SUBMITTED
    claimed = Attempt.objects.filter(pk=attempt.pk, user=user, status=AttemptStatus.IN_PROGRESS).update(
        status=status, submitted_at=now
    )
    if claimed != 1:
        raise AttemptClosed(_("This attempt has already been submitted."), code="submitted")
    # The claim changed only these two columns: the caller's instance need not be read again.
    attempt.status, attempt.submitted_at = status, now
    return _grade_claimed(attempt, None if late else answers)


@transaction.atomic
def attempt_close(*, attempt_id: int, now: datetime.datetime | None = None) -> Attempt | None:
    """Close one attempt left open past deadline + grace and grade what was saved. Idempotent (None if not due)."""
    now = now or timezone.now()
    claimed = Attempt.objects.filter(
        pk=attempt_id, status=AttemptStatus.IN_PROGRESS, deadline__lt=now - GRACE_PERIOD
    ).update(status=AttemptStatus.EXPIRED, submitted_at=now)
    if claimed != 1:
        return None
    return _grade_claimed(Attempt.objects.select_related("quiz").get(pk=attempt_id), None)


def attempt_close_expired(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Close every attempt past deadline + grace (each in its own transaction); returns the count. Idempotent."""
    now = now or timezone.now()
    due = list(
        Attempt.objects.filter(status=AttemptStatus.IN_PROGRESS, deadline__lt=now - GRACE_PERIOD)
        .order_by("deadline")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for attempt_id in due if attempt_close(attempt_id=attempt_id, now=now) is not None)
