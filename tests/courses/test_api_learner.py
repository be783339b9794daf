"""The learner's lists through the API cost the same number of queries for one enrolment or many."""

from __future__ import annotations

import pytest

from tests.courses.factories import enrol, learning_course, sibling_course
from tests.lms.api_helpers import fresh_throttles, token_client  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


def test_my_progress_costs_the_same_queries_for_one_or_many_enrolments(cast, django_assert_max_num_queries):
    first = learning_course(cast.base_x, lessons=2)
    enrol(cast.learner, first.course)
    api = token_client(cast.learner)
    with django_assert_max_num_queries(10):
        assert api.get("/api/v1/me/progress/").json()["count"] == 1
    for _ in range(6):
        enrol(cast.learner, sibling_course(first.curriculum))
    with django_assert_max_num_queries(10):
        body = api.get("/api/v1/me/progress/").json()
    assert body["count"] == 7
    assert {row["progress"]["lessons_total"] for row in body["results"]} == {1, 2}


def test_enrolling_in_a_course_with_a_missing_prerequisite_is_a_400_naming_it(cast):
    first = learning_course(cast.base_x, lessons=1)
    follow_up = sibling_course(first.curriculum)
    follow_up.prerequisites.add(first.course)
    follow_up.save_revision().publish()
    response = token_client(cast.learner).post(f"/api/v1/courses/{follow_up.pk}/enrollment/")
    assert response.status_code == 400 and first.course.title in response.json()["detail"]
