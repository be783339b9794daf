"""A learner takes a timed quiz in a real browser: autosave survives a reload, submit shows the result."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Attempt, AttemptStatus, QuestionOption, QuestionType
from tests.assessments.factories import QuestionBankFactory, QuestionFactory, QuizFactory
from tests.e2e.conftest import login_through_page
from tests.factories import TEST_PASSWORD, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_learner_takes_a_timed_quiz_with_autosave_and_sees_the_result(page):
    learner = UserFactory(username="e2e_learner")
    bank = QuestionBankFactory(organization=OrganizationFactory(slug="e2e-base"))
    QuestionFactory(
        bank=bank,
        type=QuestionType.SINGLE,
        text="成人胸外按压深度应为多少？",
        options=[("3-4 厘米", False), ("5-6 厘米", True), ("7-8 厘米", False)],
    )
    QuestionFactory(bank=bank, type=QuestionType.FILL, text="我国的火警电话是____。", options=[("119", True)])
    quiz = QuizFactory(bank=bank, title="急救测验", question_count=2, time_limit_minutes=15, pass_mark=50)

    login_through_page(page, "e2e_learner", TEST_PASSWORD)
    page.goto(f"/assessments/quizzes/{quiz.pk}/")
    page.get_by_test_id("start-quiz").click()
    expect(page).to_have_url(re.compile(r"/assessments/attempts/\d+/$"))
    expect(page.locator("[data-quiz-timer]")).to_have_text(re.compile(r"^1[45]:\d\d$"))

    page.get_by_label("5-6 厘米").check()
    expect(page.locator("[data-quiz-form]")).to_have_attribute("data-saved", "true")
    page.locator("input[type=text][name^=fill-]").fill("１１９")  # full-width digits are accepted
    page.locator("input[type=text][name^=fill-]").blur()
    expect(page.locator("[data-quiz-form]")).to_have_attribute("data-saved", "true")
    attempt = Attempt.objects.get(user=learner)
    saved = {item.question.type: item.response for item in attempt.items.select_related("question")}
    correct = QuestionOption.objects.get(question__type=QuestionType.SINGLE, is_correct=True).pk
    assert saved == {QuestionType.SINGLE: [correct], QuestionType.FILL: "１１９"}

    page.reload()
    expect(page.get_by_label("5-6 厘米")).to_be_checked()
    expect(page.locator("input[type=text][name^=fill-]")).to_have_value("１１９")
    expect(page.locator("[data-quiz-timer]")).to_have_text(re.compile(r"^1[45]:\d\d$"))

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("[data-quiz-submit]").click()
    expect(page.get_by_test_id("attempt-result")).to_be_visible()
    expect(page.get_by_test_id("attempt-percent")).to_have_text("100%")
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.passed is True
