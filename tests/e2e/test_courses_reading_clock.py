"""The reading clock in a real browser: the lesson page's heartbeats credit time on the page, and two lessons open
side by side share one clock per learner and course, so they take the sum of their minimums, not the longest."""

import time

import pytest
from playwright.sync_api import expect

from courses.models import LessonProgress
from tests.courses.factories import enrol, learning_course
from tests.e2e.conftest import login_through_page
from tests.factories import TEST_PASSWORD, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

MINIMUM = 6  # seconds of reading per lesson: a 1-minute lesson at a fraction of 0.1


@pytest.fixture
def fast_clock(settings):
    settings.LESSON_MIN_READING_FRACTION = MINIMUM / 60
    settings.LESSON_HEARTBEAT_SECONDS = 1
    settings.LESSON_HEARTBEAT_SLACK_SECONDS = 1


@pytest.fixture
def reading(fast_clock):
    learner = UserFactory(username="e2e_reader")
    built = learning_course(OrganizationFactory(slug="e2e-base", kind="training_base"), lessons=2, quiz=False)
    for lesson in built.lessons:
        lesson.estimated_minutes = 1
        lesson.save_revision().publish()
    return learner, enrol(learner, built.course), built.lessons


def _lesson_url(enrollment, lesson) -> str:
    return f"/learn/enrolments/{enrollment.pk}/lessons/{lesson.pk}/"


def test_the_finished_button_waits_for_heartbeats_then_finishes_the_lesson(page, reading):
    learner, enrollment, lessons = reading
    login_through_page(page, learner.username, TEST_PASSWORD)
    opened = time.monotonic()
    page.goto(_lesson_url(enrollment, lessons[0]))
    expect(page.get_by_test_id("reading-clock")).to_be_visible()
    expect(page.get_by_test_id("lesson-done")).to_be_disabled()
    expect(page.get_by_test_id("lesson-done")).to_be_enabled(timeout=20000)
    waited = time.monotonic() - opened
    credited = LessonProgress.objects.get(lesson=lessons[0]).credited_seconds
    assert credited >= MINIMUM and waited >= MINIMUM - 1
    assert credited <= waited + 2  # never more than the time the page was open (and one beat's slack)
    page.get_by_test_id("lesson-done").click()
    expect(page.get_by_test_id("lesson")).to_contain_text(lessons[1].title)  # on to the next lesson
    assert LessonProgress.objects.get(lesson=lessons[0]).completed_at is not None


def test_two_lessons_open_side_by_side_do_not_read_in_parallel(browser, live_server, reading):
    learner, enrollment, lessons = reading
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    context.set_default_timeout(40000)
    first, second = context.new_page(), context.new_page()
    login_through_page(first, learner.username, TEST_PASSWORD)
    opened = time.monotonic()
    first.goto(_lesson_url(enrollment, lessons[0]))
    second.goto(_lesson_url(enrollment, lessons[1]))
    try:
        for tab in (first, second):  # a tab that is not in front gets its turn when it is brought there
            tab.bring_to_front()
            expect(tab.get_by_test_id("lesson-done")).to_be_enabled(timeout=40000)
        waited = time.monotonic() - opened
    finally:
        context.close()
    credited = dict(LessonProgress.objects.values_list("lesson_id", "credited_seconds"))
    assert min(credited.values()) >= MINIMUM
    # One clock: both lessons took the sum of their minimums on the pages, not the longest of them.
    assert waited >= 2 * MINIMUM - 2
    assert sum(credited.values()) <= waited + 2
