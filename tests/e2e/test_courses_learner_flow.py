import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from assessments.models import Attempt
from courses.models import CourseCompletion
from tests.courses.factories import correct_answers, learning_course
from tests.e2e.test_accounts_signup_login import confirm_with_the_texted_code
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def no_minimum_reading_time(settings):
    # The minimum reading time is enforced on the server and tested there (tests/courses/test_lesson_progress.py).
    settings.LESSON_MIN_READING_FRACTION = 0


def test_sign_up_enrol_read_pass_the_quiz_and_see_the_hours(page, no_minimum_reading_time):
    base = OrganizationFactory(slug="e2e-base", name="E2E 培训基地", kind="training_base")
    built = learning_course(base, lessons=2, credit_hours=2, title="志愿服务概论")

    page.goto("/accounts/signup/")
    page.fill("input[name=username]", "e2e_learner")
    page.fill("input[name=real_name]", "赵学员")
    page.fill("input[name=phone]", "13812345678")
    page.fill("input[name=password1]", "Serve-Others-88!")
    page.fill("input[name=password2]", "Serve-Others-88!")
    page.click("main button[type=submit]")
    confirm_with_the_texted_code(page, "13812345678")  # learning hours count for confirmed accounts (ADR 0021)
    expect(page).to_have_url(re.compile(r"/accounts/profile/$"))

    page.goto(built.course.get_url())
    page.get_by_test_id("enrol").click()
    for _lesson in built.lessons:
        expect(page.get_by_test_id("lesson")).to_be_visible()
        page.get_by_test_id("lesson-done").click()
    expect(page.get_by_test_id("start-quiz")).to_be_visible()
    page.get_by_test_id("start-quiz").click()

    learner = User.objects.get(username="e2e_learner")
    attempt = Attempt.objects.get(user=learner)
    for position, indexes in correct_answers(attempt).items():
        for index in indexes:
            page.check(f"input[name=choice-{position}][value='{index}']")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("submit-quiz").click()
    expect(page.get_by_test_id("course-completed")).to_be_visible()

    page.goto("/learn/")
    expect(page.get_by_test_id("completed-course")).to_contain_text("志愿服务概论")
    expect(page.get_by_test_id("learning-hours-total")).to_have_text("2")
    completion = CourseCompletion.objects.get(user=learner)
    assert completion.hours_entry.minutes == 120
