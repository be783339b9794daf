"""The reading clock: time on the page, one lesson at a time per learner and course (attack: open every lesson of a
course at once in parallel tabs, so that each starts its own clock and a 30-minute course completes in 7.5)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from courses.models import Enrollment, LessonProgress
from courses.services.enrollment import enrollment_withdraw
from courses.services.progress import (
    heartbeat_credit_cap,
    heartbeat_seconds,
    lesson_complete,
    lesson_heartbeat,
    lesson_open,
)
from tests.conftest import postgres_only
from tests.courses.factories import enrol, learning_course, read_lesson
from tests.lms.api_helpers import fresh_throttles, token_client  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


@pytest.fixture
def course(cast):
    """A 30-minute course: four lessons of 7.5 minutes (rounded: 8, 8, 7, 7)."""
    built = learning_course(cast.base_x, lessons=4, quiz=False)
    for lesson, minutes in zip(built.lessons, (8, 8, 7, 7), strict=True):
        lesson.estimated_minutes = minutes
        lesson.save_revision().publish()
    return built


def test_lessons_opened_all_at_once_do_not_read_in_parallel(settings, cast, course):
    settings.LESSON_MIN_READING_FRACTION = 1
    enrollment = enrol(cast.learner, course.course)
    start = timezone.now()
    for lesson in course.lessons:  # every lesson opened in its own tab at the same moment
        lesson_open(enrollment=enrollment, lesson=lesson, now=start)
    finished = 0
    after = start + datetime.timedelta(minutes=8)  # long enough for the longest lesson, a quarter of the course
    for lesson in course.lessons:
        try:
            lesson_complete(enrollment=enrollment, lesson=lesson, now=after)
            finished += 1
        except ValidationError:
            pass
    assert finished <= 1
    assert LessonProgress.objects.filter(completed_at__isnull=False).count() <= 1


def _beat(enrollment, lesson, at, **kwargs):
    return lesson_heartbeat(enrollment=enrollment, lesson_id=lesson.pk, now=at, **kwargs)


def _credited() -> dict[int, int]:
    return dict(LessonProgress.objects.values_list("lesson_id", "credited_seconds"))


def test_two_tabs_heartbeating_for_a_minute_credit_one_minute(settings, cast, course):
    """Two lessons open in two tabs, both beating every 15 s for 60 s: the credit is 60 s in all, not 120."""
    settings.LESSON_MIN_READING_FRACTION = 1
    enrollment = enrol(cast.learner, course.course)
    first, second = course.lessons[:2]
    start = timezone.now()
    for lesson in (first, second):
        lesson_open(enrollment=enrollment, lesson=lesson, now=start)
        _beat(enrollment, lesson, start, start=True)
    for tick in range(1, 5):
        at = start + datetime.timedelta(seconds=15 * tick)
        _beat(enrollment, first, at)
        _beat(enrollment, second, at + datetime.timedelta(milliseconds=300))
    credited = _credited()
    assert sum(credited.values()) <= 60 + heartbeat_credit_cap() - heartbeat_seconds()
    assert credited[first.pk] + credited[second.pk] >= 59


def test_a_30_minute_course_needs_30_minutes_of_heartbeats(settings, cast, course):
    settings.LESSON_MIN_READING_FRACTION = 1
    enrollment = enrol(cast.learner, course.course)
    start = timezone.now()
    for lesson in course.lessons:
        lesson_open(enrollment=enrollment, lesson=lesson, now=start)
    # Every tab beats every 15 s, staggered, for 29 minutes of wall-clock time.
    at = start
    while at < start + datetime.timedelta(minutes=29):
        for offset, lesson in enumerate(course.lessons):
            _beat(enrollment, lesson, at + datetime.timedelta(seconds=offset))
        at += datetime.timedelta(seconds=15)
    assert sum(_credited().values()) <= 29 * 60 + heartbeat_credit_cap()
    finished = 0
    for lesson in course.lessons:
        try:
            lesson_complete(enrollment=enrollment, lesson=lesson, now=at)
            finished += 1
        except ValidationError as error:
            assert error.code == "too_soon"
    assert finished < len(course.lessons)  # 30 minutes of lessons, 29 minutes on the pages: not complete
    # Read one lesson at a time for 30 minutes instead: the course completes.
    for lesson in course.lessons:
        if LessonProgress.objects.get(lesson=lesson).completed_at is None:
            at = read_lesson(enrollment, lesson, at)
            lesson_complete(enrollment=enrollment, lesson=lesson, now=at)
    assert LessonProgress.objects.filter(completed_at__isnull=False).count() == len(course.lessons)


def test_a_heartbeat_credits_at_most_one_interval_and_the_slack(settings, cast, course):
    settings.LESSON_MIN_READING_FRACTION = 1
    enrollment = enrol(cast.learner, course.course)
    lesson = course.lessons[0]
    start = timezone.now()
    lesson_open(enrollment=enrollment, lesson=lesson, now=start)
    assert _beat(enrollment, lesson, start, start=True).credited == 0
    assert _beat(enrollment, lesson, start + datetime.timedelta(minutes=10)).credited == heartbeat_credit_cap()
    assert _beat(enrollment, lesson, start + datetime.timedelta(minutes=10, seconds=7.6)).credited == 7
    # The fraction of a second carries over: 7.6 + 7.6 seconds credit 15 in two beats, not 14.
    assert _beat(enrollment, lesson, start + datetime.timedelta(minutes=10, seconds=15.2)).credited == 8
    # Coming back into view credits nothing of the time away, and a clock that runs back credits nothing.
    assert _beat(enrollment, lesson, start + datetime.timedelta(minutes=20), start=True).credited == 0
    assert _beat(enrollment, lesson, start + datetime.timedelta(minutes=19)).credited == 0
    assert _credited()[lesson.pk] == heartbeat_credit_cap() + 15


def test_a_racing_heartbeat_of_another_tab_claims_the_interval_once(settings, cast, course):
    """Two requests read the enrolment's clock at the same moment: the conditional UPDATE lets one credit."""
    settings.LESSON_MIN_READING_FRACTION = 1
    enrollment = enrol(cast.learner, course.course)
    first, second = course.lessons[:2]
    start = timezone.now()
    for lesson in (first, second):
        lesson_open(enrollment=enrollment, lesson=lesson, now=start)
    _beat(enrollment, first, start, start=True)
    tab_one, tab_two = Enrollment.objects.get(pk=enrollment.pk), Enrollment.objects.get(pk=enrollment.pk)
    at = start + datetime.timedelta(seconds=15)
    assert _beat(tab_one, first, at).credited == 15
    assert _beat(tab_two, second, at).credited == 0
    assert sum(_credited().values()) == 15


def test_finishing_needs_the_credited_time_not_the_time_since_opening(settings, cast, course):
    settings.LESSON_MIN_READING_FRACTION = 0.5
    enrollment = enrol(cast.learner, course.course)
    lesson = course.lessons[0]  # 8 minutes: 240 seconds to credit
    opened = timezone.now() - datetime.timedelta(hours=1)
    lesson_open(enrollment=enrollment, lesson=lesson, now=opened)
    with pytest.raises(ValidationError) as error:
        lesson_complete(enrollment=enrollment, lesson=lesson)
    assert error.value.code == "too_soon" and "4" in error.value.messages[0]
    at = read_lesson(enrollment, lesson, opened)
    assert at - opened >= datetime.timedelta(seconds=240)
    assert lesson_complete(enrollment=enrollment, lesson=lesson, now=at).completed_at == at
    # A finished lesson's page no longer takes the course's clock from the lessons still being read.
    assert _beat(enrollment, lesson, at + datetime.timedelta(seconds=15)).credited == 0


def test_a_heartbeat_needs_an_opened_lesson_of_the_course_and_an_enrolment_not_withdrawn(cast, course):
    enrollment = enrol(cast.learner, course.course)
    other = learning_course(cast.base_x, lessons=1, quiz=False)
    with pytest.raises(ValidationError) as error:
        _beat(enrollment, other.lessons[0], timezone.now())
    assert error.value.code == "not_opened"
    lesson_open(enrollment=enrollment, lesson=course.lessons[0])
    withdrawn = enrollment_withdraw(enrollment=enrollment, user=cast.learner)
    with pytest.raises(ValidationError) as error:
        _beat(withdrawn, course.lessons[0], timezone.now())
    assert error.value.code == "withdrawn"


def _heartbeat_url(enrollment, lesson) -> str:
    return reverse("courses:player_lesson_heartbeat", args=[enrollment.pk, lesson.pk])


def test_the_heartbeat_view_is_a_few_queries_and_credits_the_page(
    settings, cast, course, client_for, django_assert_num_queries
):
    settings.LESSON_MIN_READING_FRACTION = 1
    enrollment = enrol(cast.learner, course.course)
    lesson = course.lessons[0]
    client = client_for(cast.learner)
    page = client.get(reverse("courses:player_lesson", args=[enrollment.pk, lesson.pk])).content.decode()
    assert _heartbeat_url(enrollment, lesson) in page and 'data-testid="lesson-done" disabled' in page
    assert "JavaScript" in page  # the <noscript> notice: without it no reading time is counted
    assert client.post(_heartbeat_url(enrollment, lesson), {"start": "1"}).json()["credited"] == 0
    Enrollment.objects.filter(pk=enrollment.pk).update(
        last_heartbeat_at=timezone.now() - datetime.timedelta(seconds=15.5)
    )
    # Session and user, the enrolment, the lesson's progress, the clock's UPDATE, the credit's UPDATE, and the
    # service's transaction as a savepoint inside the test's (SAVEPOINT, RELEASE): no lock, no page, no template.
    with django_assert_num_queries(8):
        body = client.post(_heartbeat_url(enrollment, lesson)).json()
    assert body == {
        "credited": 15,
        "credited_seconds": 15,
        "minimum_seconds": 8 * 60,
        "remaining_seconds": 8 * 60 - 15,
    }


@pytest.mark.parametrize("who", ["outsider", "coordinator_a", "editor_x"])
def test_the_heartbeat_of_someone_elses_enrolment_is_404(cast, course, client_for, who):
    enrollment = enrol(cast.learner, course.course)
    lesson_open(enrollment=enrollment, lesson=course.lessons[0])
    response = client_for(getattr(cast, who)).post(_heartbeat_url(enrollment, course.lessons[0]))
    assert response.status_code == 404
    assert LessonProgress.objects.get().credited_seconds == 0
    assert Enrollment.objects.get(pk=enrollment.pk).last_heartbeat_at is None


def test_the_api_heartbeat_credits_the_same_clock(settings, cast, course):
    settings.LESSON_MIN_READING_FRACTION = 1
    lesson = course.lessons[0]
    api = token_client(cast.learner)
    assert api.post(f"/api/v1/lessons/{lesson.pk}/heartbeat/", {}, format="json").json()["error"] == "not_enrolled"
    api.post(f"/api/v1/courses/{course.course.pk}/enrollment/")
    state = api.get(f"/api/v1/lessons/{lesson.pk}/").json()["state"]
    assert state["credited_seconds"] == 0 and state["wait_seconds"] == 8 * 60 and state["heartbeat_seconds"] == 15
    assert api.post(f"/api/v1/lessons/{lesson.pk}/heartbeat/", {"start": True}, format="json").json()["credited"] == 0
    Enrollment.objects.filter(user=cast.learner).update(
        last_heartbeat_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    body = api.post(f"/api/v1/lessons/{lesson.pk}/heartbeat/", {}, format="json").json()
    assert body["credited"] == heartbeat_credit_cap() and body["remaining_seconds"] == 8 * 60 - body["credited"]
    done = api.post(f"/api/v1/lessons/{lesson.pk}/completion/")
    assert done.status_code == 400 and done.json()["error"] == "invalid"
    other = learning_course(cast.base_x, lessons=1, quiz=False)
    assert api.post(f"/api/v1/lessons/{other.lessons[0].pk}/heartbeat/", {}, format="json").status_code == 400


@postgres_only()
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_heartbeats_racing_from_many_tabs_credit_each_second_once(settings, cast, course):
    """Eight tabs of four lessons beat at the same instant, twenty times (PostgreSQL makes the race real)."""
    settings.LESSON_MIN_READING_FRACTION = 1
    enrollment = enrol(cast.learner, course.course)
    start = timezone.now()
    for lesson in course.lessons:
        lesson_open(enrollment=enrollment, lesson=lesson, now=start)
    _beat(enrollment, course.lessons[0], start, start=True)
    credited = []
    for tick in range(1, 21):
        at = start + datetime.timedelta(seconds=15 * tick)
        barrier = threading.Barrier(8)

        def tab(lesson, at=at, barrier=barrier):
            try:
                own = Enrollment.objects.get(pk=enrollment.pk)  # each request reads the enrolment itself
                barrier.wait()
                credited.append(_beat(own, lesson, at).credited)
            finally:
                connection.close()

        threads = [threading.Thread(target=tab, args=(course.lessons[index % 4],)) for index in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(credited) == 160 and sum(credited) == sum(_credited().values())
    assert sum(credited) <= 20 * 15  # five minutes of wall-clock time, credited once
