"""Writes for question banks, questions, quizzes and rubrics, and the validated import."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organization
from assessments.importing.base import ParsedQuestion
from assessments.models import Question, QuestionBank, QuestionOption, Quiz, Rubric, RubricItem
from assessments.selectors import quiz_setting_problems
from assessments.validation import option_is_correct, question_problems


@dataclass
class ImportProblem:
    position: int
    label: str
    message: str

    def __str__(self) -> str:
        return f"{self.label}: {self.message}"


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    imported: bool = False  # False: the file had errors and nothing was written

    @property
    def skipped(self) -> int:
        return len({problem.position for problem in self.problems})


@transaction.atomic
def question_bank_ensure(*, key: str, organization: Organization, title: str, title_en: str = "") -> QuestionBank:
    """Create or update the bank with this key. Idempotent."""
    bank, _created = QuestionBank.objects.update_or_create(
        key=key, defaults={"organization": organization, "title": title, "title_en": title_en}
    )
    return bank


@transaction.atomic
def quiz_ensure(*, bank: QuestionBank, key: str, title: str, **settings: Any) -> Quiz:
    """Create or update the quiz with this key (settings are Quiz field values). Raises ValidationError, changing
    nothing, when the settings break the quiz rules (selectors.quiz_setting_problems: the bank too small for the
    draw, a review policy the quiz may not have). Idempotent."""
    quiz = Quiz.objects.filter(key=key).first() or Quiz(key=key)
    quiz.bank, quiz.title = bank, title
    for name, value in settings.items():
        setattr(quiz, name, value)
    problems = quiz_setting_problems(quiz)
    if problems:
        raise ValidationError(problems)
    quiz.save()
    return quiz


@transaction.atomic
def rubric_ensure(
    *, organization: Organization, key: str, title: str, items: Sequence[dict[str, Any]], **settings: Any
) -> Rubric:
    """Create or update a rubric and its items (matched by item key; items no longer listed are removed,
    unless results refer to them). Idempotent."""
    rubric, _created = Rubric.objects.update_or_create(
        key=key, defaults={"organization": organization, "title": title, **settings}
    )
    existing = {item.key: item for item in RubricItem.objects.filter(rubric=rubric)}
    for order, data in enumerate(items):
        item = existing.pop(data["key"], None) or RubricItem(rubric=rubric, key=data["key"])
        item.text = data["text"]
        item.text_en = data.get("text_en", "")
        item.required = bool(data.get("required", True))
        item.sort_order = order
        item.save()
    for item in existing.values():
        if not item.rubric.assessments.filter(results__item=item).exists():
            item.delete()
    return rubric


def _question_state(question: Question, options: Sequence[QuestionOption], tags: Sequence[str]) -> tuple:
    return (
        question.type,
        question.name,
        question.text,
        question.explanation,
        question.difficulty,
        question.category,
        sorted(tags),
        [(option.text, option.is_correct, option.feedback) for option in options],
    )


@transaction.atomic
def question_upsert(*, bank: QuestionBank, parsed: ParsedQuestion) -> str:
    """Create or update the question with parsed.stable_key in the bank; returns "created", "updated" or
    "unchanged". Options are updated in place so that open attempts keep pointing at the same rows. Idempotent."""
    key = parsed.stable_key
    question = Question.objects.filter(bank=bank, key=key).first()
    wanted = (
        parsed.type,
        parsed.name[:255],
        parsed.text,
        parsed.explanation,
        parsed.difficulty,
        parsed.category[:255],
        sorted(set(parsed.tags)),
        [
            (
                option.text,
                option_is_correct(question_type=parsed.type, marked_correct=option.is_correct),
                option.feedback,
            )
            for option in parsed.options
        ],
    )
    if question is not None:
        options = list(question.options.order_by("sort_order", "id"))
        if _question_state(question, options, list(question.tags.names())) == wanted:
            return "unchanged"
        outcome = "updated"
    else:
        question = Question(bank=bank, key=key)
        options = []
        outcome = "created"
    question.type, question.name, question.text = parsed.type, parsed.name[:255], parsed.text
    question.explanation, question.difficulty, question.category = (
        parsed.explanation,
        parsed.difficulty,
        parsed.category[:255],
    )
    question.save()
    question.tags.set(sorted(set(parsed.tags)))
    question.save()
    for order, source in enumerate(parsed.options):
        option = options[order] if order < len(options) else QuestionOption(question=question)
        option.text, option.is_correct, option.feedback, option.sort_order = (
            source.text,
            option_is_correct(question_type=parsed.type, marked_correct=source.is_correct),
            source.feedback,
            order,
        )
        option.save()
    surplus = [option.pk for option in options[len(parsed.options) :]]
    if surplus:
        QuestionOption.objects.filter(pk__in=surplus).delete()
    return outcome


def questions_validate(questions: Sequence[ParsedQuestion]) -> list[ImportProblem]:
    """Every problem of every question, in file order; an empty list means the file may be imported."""
    problems: list[ImportProblem] = []
    seen: dict[str, int] = {}
    for parsed in questions:
        messages = list(parsed.problems)
        if not messages:
            messages = question_problems(
                question_type=parsed.type,
                text=parsed.text,
                options=[(option.text, option.is_correct) for option in parsed.options],
            )
        if parsed.difficulty not in (1, 2, 3):
            messages.append(_("Difficulty must be 1, 2 or 3."))
        if len(parsed.stable_key) > 100:
            messages.append(_("The key is longer than 100 characters."))
        key = parsed.stable_key
        if key in seen:
            messages.append(
                _("The same question (key “%(key)s”) appears earlier, as question %(n)d.")
                % {"key": key, "n": seen[key]}
            )
        else:
            seen[key] = parsed.position
        problems.extend(ImportProblem(parsed.position, parsed.label, message) for message in messages)
    return problems


def questions_import(
    *, bank: QuestionBank, questions: Sequence[ParsedQuestion], skip_invalid: bool = False, dry_run: bool = False
) -> ImportReport:
    """Validate every question first; write nothing if any is bad (unless skip_invalid: then write the good ones).
    Re-importing the same questions creates nothing new (stable keys). Idempotent."""
    report = ImportReport(total=len(questions), problems=questions_validate(questions))
    if (report.problems and not skip_invalid) or dry_run:
        return report
    bad = {problem.position for problem in report.problems}
    with transaction.atomic():
        for parsed in questions:
            if parsed.position in bad:
                continue
            outcome = question_upsert(bank=bank, parsed=parsed)
            setattr(report, outcome, getattr(report, outcome) + 1)
    report.imported = True
    return report
