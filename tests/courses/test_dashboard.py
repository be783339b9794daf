import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.school_years import current_school_year, school_year_bounds
from courses.selectors.dashboard import learner_dashboard
from hours.models import HoursKind
from hours.services import hours_entry_record
from tests.courses.factories import enrol, learning_course, pass_quiz, read_all_lessons, sibling_course

pytestmark = pytest.mark.django_db

MAX_DASHBOARD_QUERIES = 15


def _dashboard_queries(client) -> int:
    client.get(reverse("courses:dashboard"))  # warm per-process caches (content types, site root paths)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("courses:dashboard"))
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_dashboard_query_count_does_not_grow_with_enrolments(cast, client_for, django_capture_on_commit_callbacks):
    first = learning_course(cast.base_x, lessons=2)
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = enrol(cast.learner, first.course)
        read_all_lessons(enrollment, first.lessons)
        pass_quiz(first.quiz, cast.learner)
    client = client_for(cast.learner)
    one = _dashboard_queries(client)
    courses = [sibling_course(first.curriculum) for _ in range(39)]
    for course in courses:
        enrol(cast.learner, course)
    forty = _dashboard_queries(client)
    assert one <= MAX_DASHBOARD_QUERIES and forty <= MAX_DASHBOARD_QUERIES, (one, forty)
    assert forty == one
    html = client.get(reverse("courses:dashboard")).content.decode()
    assert html.count('data-testid="in-progress-course"') == 39
    assert html.count('data-testid="completed-course"') == 1


def test_the_dashboard_with_recommendations_stays_within_its_budget(cast, client_for, django_assert_max_num_queries):
    built = learning_course(cast.base_x, lessons=1)
    enrol(cast.learner, built.course)
    follow_up = sibling_course(built.curriculum, for_college=True)
    follow_up.prerequisites.add(built.course)
    follow_up.save_revision().publish()
    sibling_course(built.curriculum, for_college=True)
    client = client_for(cast.learner)
    client.get(reverse("courses:dashboard"))
    with django_assert_max_num_queries(MAX_DASHBOARD_QUERIES):
        response = client.get(reverse("courses:dashboard"))
    assert response.content.decode().count('data-testid="recommended-course"') == 1


def test_hours_this_school_year_count_against_the_schools_requirement(cast):
    start, _end = school_year_bounds(current_school_year())
    hours_entry_record(
        user=cast.learner,
        kind=HoursKind.PRACTICE,
        minutes=300,
        occurred_on=max(start, datetime.date.today() - datetime.timedelta(days=1)),
        source_key="practice:test-1",
        credited_organization=cast.school_a,
        recorded_by_organization=cast.school_a,
        verified=True,
    )
    hours_entry_record(
        user=cast.learner,
        kind=HoursKind.PRACTICE,
        minutes=60,
        occurred_on=start - datetime.timedelta(days=10),  # last school year: not this year's
        source_key="practice:test-old",
        credited_organization=cast.school_a,
        recorded_by_organization=cast.school_a,
        verified=True,
    )
    hours_entry_record(
        user=cast.learner,
        kind=HoursKind.PRACTICE,
        minutes=120,
        occurred_on=max(start, datetime.date.today() - datetime.timedelta(days=1)),
        source_key="practice:test-pending",
        credited_organization=cast.school_a,
        recorded_by_organization=cast.school_a,
    )
    summary = learner_dashboard(user=cast.learner).hours
    assert summary.school == cast.school_a and summary.required_hours == Decimal("8")
    assert summary.year_hours == Decimal("5.0") and summary.year_pending_hours == Decimal("2.0")
    assert summary.service_hours_total == Decimal("6.0") and summary.star.stars == 0
    assert not summary.requirement_met


def test_a_volunteer_without_a_school_sees_no_requirement(cast, client_for):
    html = client_for(cast.outsider).get(reverse("courses:dashboard")).content.decode()
    assert 'data-testid="school-year-hours"' not in html
    assert 'data-testid="star-level"' in html


def test_recommendations_respect_audience_taken_courses_and_prerequisites(cast):
    intro = learning_course(cast.base_x, lessons=1, title="概论", for_college=True)
    follow_up = sibling_course(intro.curriculum, title="进阶", for_college=True)
    follow_up.prerequisites.add(intro.course)
    follow_up.save_revision().publish()
    sibling_course(intro.curriculum, title="只给中小学", for_volunteers=False, for_school=True)
    titles = [course.title for course in learner_dashboard(user=cast.learner).recommendations]
    assert titles == ["概论"]  # the college student: no pupils' course, no course with a missing prerequisite


def test_a_completed_course_unlocks_its_follow_up_first(cast, django_capture_on_commit_callbacks):
    intro = learning_course(cast.base_x, lessons=1, title="概论", for_college=True)
    other = sibling_course(intro.curriculum, title="其他", for_college=True)
    follow_up = sibling_course(intro.curriculum, title="进阶", for_college=True)
    follow_up.prerequisites.add(intro.course)
    follow_up.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = enrol(cast.learner, intro.course)
        read_all_lessons(enrollment, intro.lessons)
        pass_quiz(intro.quiz, cast.learner)
    titles = [course.title for course in learner_dashboard(user=cast.learner).recommendations]
    assert titles[:2] == ["进阶", other.title]
