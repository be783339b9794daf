"""What makes a question well-formed; shared by every importer and by the admin form."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.utils.translation import gettext as _

from assessments.models import QuestionType, ReviewPolicy

MAX_OPTIONS = 10
# A graded quiz draws at most 1/BANK_DRAW_FACTOR of the questions it can draw from, so that one attempt's questions
# (or one leaked key) cover at most that share of the next attempt (ADR 0019). Override: ASSESSMENT_BANK_DRAW_FACTOR.
BANK_DRAW_FACTOR = 2

# Types whose every option is right: accepted answers of a blank, or the steps of an ordering in their order.
EVERY_OPTION_CORRECT = (QuestionType.FILL, QuestionType.ORDERING)


def option_is_correct(*, question_type: str, marked_correct: bool) -> bool:
    """Whether an option counts as correct: as marked for choice questions, always for fill and ordering."""
    return True if question_type in EVERY_OPTION_CORRECT else bool(marked_correct)


def options_with_correctness(*, question_type: str, options: Sequence[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """(text, correct) pairs with the type's correctness rule applied; the admin form and the importers use it."""
    return [(text, option_is_correct(question_type=question_type, marked_correct=correct)) for text, correct in options]


def question_problems(*, question_type: str, text: str, options: Sequence[tuple[str, bool]]) -> list[str]:
    """Human-readable problems of a question given as its type, text and (option text, correct) pairs."""
    problems: list[str] = []
    if question_type not in QuestionType.values:
        return [_("Unknown question type “%(type)s”.") % {"type": question_type}]
    if not (text or "").strip():
        problems.append(_("The question text is empty."))
    texts = [option_text.strip() for option_text, _correct in options]
    if any(not option_text for option_text in texts):
        problems.append(_("An option is empty."))
    correct = sum(1 for _text, is_correct in options if is_correct)
    if question_type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        if not 2 <= len(options) <= MAX_OPTIONS:
            problems.append(_("A choice question needs 2 to %(max)d options.") % {"max": MAX_OPTIONS})
        if len(set(texts)) != len(texts):
            problems.append(_("Two options have the same text."))
        if question_type == QuestionType.SINGLE and correct != 1:
            problems.append(
                _("A single-choice question needs exactly one correct option (it has %(n)d).") % {"n": correct}
            )
        if question_type == QuestionType.MULTIPLE and correct < 1:
            problems.append(_("A multiple-choice question needs at least one correct option."))
    elif question_type == QuestionType.TRUEFALSE:
        if len(options) != 2 or correct != 1:
            problems.append(_("A true/false question needs two options, exactly one of them correct."))
    elif question_type == QuestionType.FILL:
        if not options:
            problems.append(_("A fill-in-the-blank question needs at least one accepted answer."))
    elif question_type == QuestionType.ORDERING:
        if not 2 <= len(options) <= MAX_OPTIONS:
            problems.append(_("An ordering question needs 2 to %(max)d steps.") % {"max": MAX_OPTIONS})
        if len(set(texts)) != len(texts):
            problems.append(_("Two steps have the same text."))
    return problems


def bank_draw_factor() -> int:
    return max(1, int(getattr(settings, "ASSESSMENT_BANK_DRAW_FACTOR", BANK_DRAW_FACTOR)))


def quiz_problems(
    *,
    is_practice: bool,
    review_policy: str,
    question_count: int,
    pool_size: int,
    has_course: bool,
    closes_at: datetime.datetime | None,
    graded_quiz_shares_bank: bool = False,
) -> list[str]:
    """Why a quiz's settings may not be saved; `pool_size` is how many questions its draw (bank and tags) can pick
    from. The admin form, quiz_ensure (imports, the demo) and the bank YAML check it."""
    problems: list[str] = []
    if not is_practice:
        needed = question_count * bank_draw_factor()
        if pool_size < needed:
            problems.append(
                _(
                    "The bank has %(pool)d questions this quiz can draw; a graded quiz that draws %(count)d per "
                    "attempt needs at least %(needed)d, so that a few attempts cannot collect the whole bank. Add "
                    "questions to the bank or draw fewer."
                )
                % {"pool": pool_size, "count": question_count, "needed": needed}
            )
    elif pool_size < 1:
        problems.append(_("The bank has no questions this quiz can draw."))
    if is_practice and has_course:
        problems.append(_("A practice quiz credits nothing: it cannot belong to a course."))
    if review_policy == ReviewPolicy.IMMEDIATELY:
        if not is_practice:
            problems.append(_("Only a practice quiz may show the answers right after each attempt."))
        elif graded_quiz_shares_bank:
            problems.append(
                _("A graded quiz draws on this bank: a practice quiz on it may not show the answers right away.")
            )
    if review_policy == ReviewPolicy.AFTER_CLOSE and closes_at is None:
        problems.append(_("Set when the quiz closes, or choose another review policy."))
    return problems
