"""What makes a question well-formed; shared by every importer and by the admin form."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from assessments.models import QuestionType

MAX_OPTIONS = 10

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
