"""The public catalogue through the API: filters, pagination, clear errors, queries that do not grow."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.content.factories import CoursePageFactory, course_tree
from tests.lms.api_helpers import fresh_throttles  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


def test_the_catalogue_filters_by_audience_skill_area_and_base(cast):
    _base, curriculum, first_aid, _lessons = course_tree(cast.base_x, lessons=2, skill_area="first_aid")
    CoursePageFactory(parent=curriculum, skill_area="fire", for_volunteers=False, for_school=True)
    _other_base, _curriculum, elsewhere, _lessons = course_tree(cast.base_y, lessons=1)
    api = APIClient()
    everything = api.get("/api/v1/courses/").json()
    assert everything["count"] == 3
    first = next(row for row in everything["results"] if row["id"] == first_aid.pk)
    assert first["lesson_count"] == 2 and first["training_base"] == "base-x" and first["credit_hours"] == "1.0"
    assert [row["id"] for row in api.get("/api/v1/courses/", {"skill_area": "first_aid"}).json()["results"]] == [
        first_aid.pk
    ]
    assert api.get("/api/v1/courses/", {"audience": "school"}).json()["count"] == 1
    assert [row["id"] for row in api.get("/api/v1/courses/", {"base": "base-y"}).json()["results"]] == [elsewhere.pk]
    bases = api.get("/api/v1/training-bases/").json()
    assert {row["key"] for row in bases["results"]} == {"base-x", "base-y"}


def test_an_unknown_filter_value_is_a_400_naming_the_field(cast):
    response = APIClient().get("/api/v1/courses/", {"audience": "martians", "skill_area": "x"})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"audience", "skill_area"}


def test_the_catalogue_costs_the_same_queries_for_one_course_or_many(cast, django_assert_max_num_queries):
    _base, curriculum, _course, _lessons = course_tree(cast.base_x, lessons=1)
    api = APIClient()
    with django_assert_max_num_queries(8):
        assert api.get("/api/v1/courses/").json()["count"] == 1
    for _ in range(15):
        CoursePageFactory(parent=curriculum)
    with django_assert_max_num_queries(8):
        assert api.get("/api/v1/courses/").json()["count"] == 16


def test_a_course_detail_lists_lessons_and_an_unpublished_course_is_404(cast):
    _base, _curriculum, course, lessons = course_tree(cast.base_x, lessons=2)
    api = APIClient()
    detail = api.get(f"/api/v1/courses/{course.pk}/").json()
    assert [row["id"] for row in detail["lessons"]] == [lesson.pk for lesson in lessons]
    assert detail["enrollment"] is None and detail["progress"] is None
    course.unpublish()
    assert api.get(f"/api/v1/courses/{course.pk}/").status_code == 404
    assert api.get(f"/api/v1/lessons/{lessons[0].pk}/").status_code == 404
