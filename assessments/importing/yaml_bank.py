"""The bank YAML of docs/question-bank-yaml.md: bank, quiz, questions and an optional practical rubric."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from django.utils.translation import gettext as _

from assessments.importing.base import ImportFormatError, ParsedOption, ParsedQuestion, refuse_control_characters
from assessments.importing.moodle import FALSE_TEXT, TRUE_TEXT
from assessments.models import PassRule, ReviewPolicy
from assessments.validation import quiz_problems
from core.parsing import YamlRefused, yaml_load

QUESTION_KEYS = {
    "key",
    "type",
    "difficulty",
    "tags",
    "text",
    "options",
    "answer",
    "answers",
    "steps",
    "explanation",
    "name",
    "category",
}
QUIZ_KEYS = {
    "title",
    "title_en",
    "pass_mark",
    "question_count",
    "time_limit_minutes",
    "max_attempts",
    "cooldown_minutes",
    "shuffle_options",
    "review_policy",
    "draw_tags",
}
# Policies of older files, which showed the answer key; they are read as the safe default (ADR 0019).
LEGACY_REVIEW_POLICIES = {
    "after_submit": ReviewPolicy.CORRECTNESS,
    "after_pass": ReviewPolicy.CORRECTNESS,
    "after_last_attempt": ReviewPolicy.CORRECTNESS,
}
QUIZ_INTEGERS = {
    "pass_mark": (0, 100),
    "question_count": (1, 500),
    "time_limit_minutes": (0, 1440),
    "max_attempts": (0, 100),
    "cooldown_minutes": (0, 100000),
}


@dataclass
class BankDocument:
    bank: dict[str, Any]
    quiz: dict[str, Any] | None
    questions: list[ParsedQuestion]
    rubric: dict[str, Any] | None
    problems: list[str] = field(default_factory=list)  # about the bank, quiz and rubric sections


def _load(text: str) -> dict:
    try:
        document = yaml_load(text)  # no anchors or aliases (alias bombs), bounded in size, values and depth
    except YamlRefused as error:
        if error.line is None:
            raise ImportFormatError(
                _("The YAML file cannot be imported: %(problem)s.") % {"problem": error.problem}
            ) from error
        raise ImportFormatError(
            _("Line %(line)d of the YAML file: %(problem)s.") % {"line": error.line, "problem": error.problem}
        ) from error
    except yaml.YAMLError as error:
        raise ImportFormatError(_("This is not valid YAML: %(error)s") % {"error": error}) from error
    if not isinstance(document, dict):
        raise ImportFormatError(_("The YAML file must be a mapping with “bank” and “questions”."))
    return document


def _question(position: int, data: Any) -> ParsedQuestion:
    if not isinstance(data, dict):
        question = ParsedQuestion(position=position, type="")
        question.problems.append(_("A question must be a mapping of fields."))
        return question
    question = ParsedQuestion(
        position=position,
        type=str(data.get("type", "")),
        key=str(data.get("key", "") or ""),
        name=str(data.get("name", "") or ""),
        text=str(data.get("text", "") or "").strip(),
        explanation=str(data.get("explanation", "") or "").strip(),
        category=str(data.get("category", "") or ""),
    )
    unknown = set(data) - QUESTION_KEYS
    if unknown:
        question.problems.append(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(map(str, unknown)))})
    if not question.key:
        question.problems.append(_("Every question needs a key."))
    difficulty = data.get("difficulty", 1)
    question.difficulty = difficulty if isinstance(difficulty, int) and not isinstance(difficulty, bool) else 0
    tags = data.get("tags") or []
    if not isinstance(tags, list):
        question.problems.append(_("“tags” must be a list."))
        tags = []
    question.tags = [str(tag) for tag in tags]
    kind = question.type
    if kind in ("single", "multiple"):
        options = data.get("options") or []
        if not isinstance(options, list) or not all(isinstance(option, dict) for option in options):
            question.problems.append(_("“options” must be a list of {text, correct} mappings."))
            options = []
        question.options = [
            ParsedOption(
                str(option.get("text", "")).strip(),
                option.get("correct") is True,
                str(option.get("feedback", "") or ""),
            )
            for option in options
        ]
    elif kind == "truefalse":
        answer = data.get("answer")
        if not isinstance(answer, bool):
            question.problems.append(_("A true/false question needs “answer: true” or “answer: false”."))
        question.options = [ParsedOption(TRUE_TEXT, answer is True), ParsedOption(FALSE_TEXT, answer is False)]
    elif kind == "fill":
        answers = data.get("answers") or []
        if not isinstance(answers, list):
            question.problems.append(_("“answers” must be a list of accepted answers."))
            answers = []
        question.options = [ParsedOption(str(answer).strip(), True) for answer in answers]
    elif kind == "ordering":
        steps = data.get("steps") or []
        if not isinstance(steps, list):
            question.problems.append(_("“steps” must be a list in the correct order."))
            steps = []
        question.options = [ParsedOption(str(step).strip(), True) for step in steps]
    return question


def parse_questions(text: str) -> list[ParsedQuestion]:
    return parse_bank(text).questions


def parse_bank(text: str) -> BankDocument:
    document = _load(text)
    problems: list[str] = []
    bank = document.get("bank") or {}
    if not isinstance(bank, dict):
        bank = {}
    for name in ("key", "title", "organization"):
        if not str(bank.get(name, "") or "").strip():
            problems.append(_("bank: “%(field)s” is required.") % {"field": name})
    quiz = document.get("quiz")
    if quiz is not None:
        if not isinstance(quiz, dict):
            problems.append(_("quiz: must be a mapping."))
            quiz = None
        else:
            if not str(quiz.get("title", "") or "").strip():
                problems.append(_("quiz: “title” is required."))
            unknown = set(quiz) - QUIZ_KEYS
            if unknown:
                problems.append(
                    _("quiz: unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(map(str, unknown)))}
                )
            if not isinstance(quiz.get("shuffle_options", True), bool):
                problems.append(_("quiz: “shuffle_options” must be true or false."))
            for name, (low, high) in QUIZ_INTEGERS.items():
                value = quiz.get(name)
                if value is not None and (
                    not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high
                ):
                    problems.append(
                        _("quiz: “%(field)s” must be a whole number from %(low)d to %(high)d.")
                        % {"field": name, "low": low, "high": high}
                    )
            policy = quiz.get("review_policy", ReviewPolicy.CORRECTNESS)
            if policy in LEGACY_REVIEW_POLICIES:
                quiz["review_policy"] = LEGACY_REVIEW_POLICIES[policy]
            elif policy not in ReviewPolicy.values:
                problems.append(
                    _("quiz: “review_policy” must be one of %(values)s.") % {"values": ", ".join(ReviewPolicy.values)}
                )
    raw_questions = document.get("questions") or []
    if not isinstance(raw_questions, list):
        problems.append(_("“questions” must be a list."))
        raw_questions = []
    questions = refuse_control_characters(
        [_question(position, data) for position, data in enumerate(raw_questions, start=1)]
    )
    if quiz is not None and isinstance(quiz.get("question_count"), int):
        tags = {tag.strip() for tag in str(quiz.get("draw_tags", "") or "").split(",") if tag.strip()}
        pool = [question for question in questions if not tags or tags & set(question.tags)]
        problems.extend(
            _("quiz: %(problem)s") % {"problem": problem}
            for problem in quiz_problems(
                is_practice=False,
                review_policy=str(quiz.get("review_policy", ReviewPolicy.CORRECTNESS)),
                question_count=quiz["question_count"],
                pool_size=len(pool),
                has_course=bool(bank.get("course")),
                closes_at=None,
            )
        )
    rubric = document.get("rubric")
    if rubric is not None:
        problems.extend(_rubric_problems(rubric))
    return BankDocument(bank=bank, quiz=quiz, questions=questions, rubric=rubric, problems=problems)


def _rubric_problems(rubric: Any) -> list[str]:
    if not isinstance(rubric, dict):
        return [_("rubric: must be a mapping.")]
    problems = []
    if not str(rubric.get("title", "") or "").strip():
        problems.append(_("rubric: “title” is required."))
    if rubric.get("pass_rule", PassRule.ALL_REQUIRED) not in PassRule.values:
        problems.append(_("rubric: “pass_rule” must be one of %(values)s.") % {"values": ", ".join(PassRule.values)})
    items = rubric.get("items") or []
    if not isinstance(items, list) or not items:
        return [*problems, _("rubric: “items” must be a non-empty list.")]
    seen = set()
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not str(item.get("key", "")).strip() or not str(item.get("text", "")).strip():
            problems.append(_("rubric item %(n)d: needs “key” and “text”.") % {"n": number})
            continue
        if item["key"] in seen:
            problems.append(
                _("rubric item %(n)d: the key “%(key)s” is used twice.") % {"n": number, "key": item["key"]}
            )
        seen.add(item["key"])
    return problems
