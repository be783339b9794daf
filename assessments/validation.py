"""What makes a question well-formed; shared by every importer and by the admin form."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from .models import QuestionType

MAX_OPTIONS = 10


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
