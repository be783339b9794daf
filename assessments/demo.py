"""The demo question banks (assessments/demo_banks/*.yaml): banks, quizzes and rubrics, linked to the demo courses.

Runs after the content demo (the CoursePages must exist). Idempotent: banks, questions, quizzes and rubrics are all
matched by their keys. A file that fails validation is reported and not imported at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Organization
from assessments.importing import ImportFormatError
from assessments.importing.yaml_bank import BankDocument, parse_bank
from assessments.services import question_bank_ensure, questions_import, quiz_ensure, rubric_ensure
from assessments.services.banks import questions_validate
from content.models import CoursePage

DEMO_BANKS = Path(__file__).resolve().parent / "demo_banks"


@dataclass
class DemoReport:
    banks: int = 0
    questions: int = 0
    quizzes: int = 0
    rubrics: int = 0
    failures: dict[str, list[str]] = field(default_factory=dict)  # file name -> problems

    def __str__(self) -> str:
        text = f"{self.banks} banks, {self.questions} questions, {self.quizzes} quizzes, {self.rubrics} rubrics"
        if self.failures:
            text += f"; {len(self.failures)} files failed: " + "; ".join(
                f"{name}: {' | '.join(problems)}" for name, problems in self.failures.items()
            )
        return text


def load_bank_file(path: Path) -> list[str]:
    """Import one bank YAML file; returns its problems (and then imports nothing)."""
    try:
        document = parse_bank(path.read_text(encoding="utf-8"))
    except ImportFormatError as error:
        return [str(error)]
    problems = list(document.problems) + [str(problem) for problem in questions_validate(document.questions)]
    bank_data = document.bank
    organization = Organization.objects.filter(slug=bank_data.get("organization")).first()
    if organization is None:
        problems.append(f"bank: no organisation “{bank_data.get('organization')}”")
    course = None
    if bank_data.get("course"):
        course = CoursePage.objects.filter(key=bank_data["course"]).first()
        if course is None:
            problems.append(f"bank: no course page with key “{bank_data['course']}”")
    if problems:
        return problems
    try:
        _import(document, organization, course)
    except ValidationError as error:  # quiz_ensure refused the quiz: nothing of the file was written
        return [f"quiz: {message}" for message in error.messages]
    return []


def _import(document: BankDocument, organization: Organization, course: CoursePage | None) -> None:
    bank_data = document.bank
    with transaction.atomic():
        bank = question_bank_ensure(
            key=bank_data["key"],
            organization=organization,
            title=bank_data["title"],
            title_en=bank_data.get("title_en", ""),
        )
        questions_import(bank=bank, questions=document.questions)
        if document.quiz is not None:
            quiz = dict(document.quiz)
            quiz_ensure(
                bank=bank,
                key=bank.key,
                course=course,
                standalone_open=True,
                **{name: value for name, value in quiz.items() if name != "key"},
            )
        if document.rubric is not None:
            rubric = dict(document.rubric)
            rubric_ensure(
                organization=organization,
                key=f"{bank.key}-practical",
                title=rubric["title"],
                title_en=rubric.get("title_en", ""),
                pass_rule=rubric.get("pass_rule", "all_required"),
                items=rubric["items"],
                course=course,
            )


def load(directory: Path = DEMO_BANKS) -> DemoReport:
    """Import every demo bank file. Idempotent."""
    report = DemoReport()
    for path in sorted(directory.glob("*.yaml")):
        problems = load_bank_file(path)
        if problems:
            report.failures[path.name] = problems
            continue
        document = parse_bank(path.read_text(encoding="utf-8"))
        report.banks += 1
        report.questions += len(document.questions)
        report.quizzes += document.quiz is not None
        report.rubrics += document.rubric is not None
    return report
