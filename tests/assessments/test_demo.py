"""The demo banks: every file validates, load() links quizzes to courses and is idempotent."""

from pathlib import Path

import pytest

from accounts.demo import load_organizations
from assessments import demo
from assessments.importing.yaml_bank import parse_bank
from assessments.models import Question, QuestionBank, Quiz, ReviewPolicy, Rubric
from assessments.services.banks import questions_validate
from assessments.validation import BANK_DRAW_FACTOR
from content.demo import load as load_demo_content
from content.services import home_page_ensure

BANK_FILES = sorted(demo.DEMO_BANKS.glob("*.yaml"))


@pytest.mark.parametrize("path", BANK_FILES, ids=lambda path: path.stem)
def test_demo_bank_file_is_valid(path):
    document = parse_bank(path.read_text(encoding="utf-8"))
    assert document.problems == []
    assert [str(problem) for problem in questions_validate(document.questions)] == []
    assert len(document.questions) >= 15
    assert all(question.explanation for question in document.questions)
    assert document.quiz is not None and document.bank["course"] == path.stem
    # Every demo quiz is graded and credits hours: its bank holds at least twice the questions it draws.
    assert len(document.questions) >= BANK_DRAW_FACTOR * document.quiz["question_count"]
    assert document.quiz.get("review_policy", ReviewPolicy.CORRECTNESS) == ReviewPolicy.CORRECTNESS


def test_load_links_quizzes_to_courses_and_is_idempotent(db):
    home_page_ensure(title="首页")
    load_organizations()
    load_demo_content()
    report = demo.load()
    assert report.failures == {}
    assert report.banks == len(BANK_FILES) == QuestionBank.objects.count()
    counts = (Question.objects.count(), Quiz.objects.count(), Rubric.objects.count())
    for quiz in Quiz.objects.select_related("course"):
        assert quiz.course is not None and quiz.course.key == quiz.bank.key
    assert Rubric.objects.filter(course__isnull=False).count() == Rubric.objects.count() >= 7
    again = demo.load()
    assert again.failures == {}
    assert (Question.objects.count(), Quiz.objects.count(), Rubric.objects.count()) == counts


def test_a_bad_bank_file_is_reported_and_imports_nothing(db, tmp_path: Path):
    load_organizations()
    (tmp_path / "broken.yaml").write_text(
        "bank: {key: broken, title: 坏题库, organization: volunteer-college}\n"
        "questions:\n  - {key: q1, type: single, text: 哪个对？, options: [{text: 甲}, {text: 乙}]}\n"
        "  - {key: q2, type: essay, text: 谈谈体会}\n",
        encoding="utf-8",
    )
    report = demo.load(tmp_path)
    problems = report.failures["broken.yaml"]
    assert any("question 1" in problem and "exactly one correct" in problem for problem in problems)
    assert any("question 2" in problem for problem in problems)
    assert not QuestionBank.objects.filter(key="broken").exists()
