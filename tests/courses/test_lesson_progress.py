import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from courses.models import LessonProgress
from courses.services.progress import lesson_complete, lesson_heartbeat, lesson_open, minimum_reading_seconds
from tests.courses.factories import enrol, learning_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(cast):
    built = learning_course(cast.base_x, lessons=2)
    for lesson in built.lessons:
        lesson.estimated_minutes = 20
        lesson.save_revision().publish()
    return built


def test_the_minimum_reading_time_is_a_fraction_of_the_estimate(settings, course):
    settings.LESSON_MIN_READING_FRACTION = 0.5
    assert minimum_reading_seconds(course.lessons[0]) == 600
    settings.LESSON_MIN_READING_FRACTION = 0
    assert minimum_reading_seconds(course.lessons[0]) == 0


def test_a_lesson_cannot_be_finished_before_the_minimum_reading_time(settings, cast, course):
    settings.LESSON_MIN_READING_FRACTION = 0.5
    enrollment = enrol(cast.learner, course.course)
    lesson = course.lessons[0]
    opened = timezone.now()
    lesson_open(enrollment=enrollment, lesson=lesson, now=opened)
    lesson_heartbeat(enrollment=enrollment, lesson_id=lesson.pk, start=True, now=opened)
    for tick in range(1, 13):  # three minutes on the page
        lesson_heartbeat(enrollment=enrollment, lesson_id=lesson.pk, now=opened + datetime.timedelta(seconds=15 * tick))
    with pytest.raises(ValidationError) as error:
        lesson_complete(enrollment=enrollment, lesson=lesson, now=opened + datetime.timedelta(minutes=3))
    assert error.value.code == "too_soon" and "7" in error.value.messages[0]
    assert LessonProgress.objects.get(lesson=lesson).completed_at is None
    for tick in range(13, 41):  # ten minutes on the page
        lesson_heartbeat(enrollment=enrollment, lesson_id=lesson.pk, now=opened + datetime.timedelta(seconds=15 * tick))
    done = lesson_complete(enrollment=enrollment, lesson=lesson, now=opened + datetime.timedelta(minutes=10))
    assert done.completed_at == opened + datetime.timedelta(minutes=10)


def test_opening_again_does_not_restart_the_clock(settings, cast, course):
    settings.LESSON_MIN_READING_FRACTION = 0.5
    enrollment = enrol(cast.learner, course.course)
    lesson = course.lessons[0]
    opened = timezone.now() - datetime.timedelta(minutes=15)
    lesson_open(enrollment=enrollment, lesson=lesson, now=opened)
    progress = lesson_open(enrollment=enrollment, lesson=lesson)
    assert progress.opened_at == opened
    enrollment.refresh_from_db()
    assert enrollment.last_lesson_id == lesson.pk


def test_zero_fraction_turns_the_minimum_off(settings, cast, course):
    settings.LESSON_MIN_READING_FRACTION = 0
    enrollment = enrol(cast.learner, course.course)
    lesson = course.lessons[0]
    lesson_open(enrollment=enrollment, lesson=lesson)
    assert lesson_complete(enrollment=enrollment, lesson=lesson).completed_at is not None


def test_a_lesson_must_be_opened_before_it_is_finished(cast, course):
    enrollment = enrol(cast.learner, course.course)
    with pytest.raises(ValidationError) as error:
        lesson_complete(enrollment=enrollment, lesson=course.lessons[0])
    assert error.value.code == "not_opened"


def test_finishing_twice_keeps_the_first_time(settings, cast, course):
    settings.LESSON_MIN_READING_FRACTION = 0
    enrollment = enrol(cast.learner, course.course)
    lesson = course.lessons[0]
    lesson_open(enrollment=enrollment, lesson=lesson)
    first = lesson_complete(enrollment=enrollment, lesson=lesson).completed_at
    again = lesson_complete(enrollment=enrollment, lesson=lesson, now=timezone.now() + datetime.timedelta(days=1))
    assert again.completed_at == first
    assert LessonProgress.objects.filter(lesson=lesson).count() == 1


def test_a_lesson_of_another_course_is_refused(cast, course):
    other = learning_course(cast.base_x, lessons=1)
    enrollment = enrol(cast.learner, course.course)
    with pytest.raises(ValidationError) as error:
        lesson_open(enrollment=enrollment, lesson=other.lessons[0])
    assert error.value.code == "not_in_course"
    assert not LessonProgress.objects.exists()
