"""Learner-facing pages: the catalogue with filters, course overview and lesson navigation. All public."""

import pytest

from accounts.constants import SkillArea
from tests.content.factories import (
    CoursePageFactory,
    CurriculumPageFactory,
    LessonPageFactory,
    course_tree,
    training_base,
)


@pytest.fixture
def catalogue(cast):
    _base_x, _curriculum_x, first_aid, lessons = course_tree(
        cast.base_x, lessons=3, title="应急救护", skill_area=SkillArea.FIRST_AID, for_college=True
    )
    base_y = training_base(cast.base_y)
    curriculum_y = CurriculumPageFactory(parent=base_y)
    pupils = CoursePageFactory(parent=curriculum_y, title="中小学生入门", for_volunteers=False, for_school=True)
    LessonPageFactory(parent=pupils)
    return {"first_aid": first_aid, "lessons": lessons, "pupils": pupils}


def titles(response) -> list[str]:
    return [entry.course.title for entry in response.context["entries"]]


@pytest.mark.django_db
@pytest.mark.parametrize("user_name", [None, "outsider", "learner"])
def test_catalogue_is_public(catalogue, client, client_for, cast, user_name):
    test_client = client_for(getattr(cast, user_name)) if user_name else client
    response = test_client.get("/catalogue/")
    assert response.status_code == 200
    assert titles(response) == ["应急救护", "中小学生入门"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"audience": "school"}, ["中小学生入门"]),
        ({"audience": "college"}, ["应急救护"]),
        ({"skill_area": "first_aid"}, ["应急救护"]),
        ({"base": "base-y"}, ["中小学生入门"]),
        ({"base": "base-y", "skill_area": "first_aid"}, []),
        ({"audience": "nonsense"}, ["应急救护", "中小学生入门"]),
        ({"base": "no-such-base"}, []),
    ],
)
def test_catalogue_filters(catalogue, client, params, expected):
    assert titles(client.get("/catalogue/", params)) == expected


@pytest.mark.django_db
def test_catalogue_query_count_does_not_grow_with_courses(cast, client, django_assert_max_num_queries):
    _base, curriculum, _course, _lessons = course_tree(cast.base_x, lessons=1)
    client.get("/catalogue/")
    with django_assert_max_num_queries(8):
        assert len(client.get("/catalogue/").context["entries"]) == 1
    for _ in range(20):
        LessonPageFactory(parent=CoursePageFactory(parent=curriculum))
    with django_assert_max_num_queries(8):
        response = client.get("/catalogue/")
    assert len(response.context["entries"]) == 21
    assert all(entry.lesson_count == 1 for entry in response.context["entries"])


@pytest.mark.django_db
def test_course_overview_lists_lessons_objectives_and_prerequisites(catalogue, client, django_assert_max_num_queries):
    course = catalogue["first_aid"]
    course.objectives = "判断现场安全\n实施心肺复苏"
    course.prerequisites.set([catalogue["pupils"]])
    course.save_revision().publish()
    client.get(course.url)
    with django_assert_max_num_queries(12):
        response = client.get(course.url)
    html = response.content.decode()
    assert [lesson.title for lesson in response.context["lessons"]] == [lesson.title for lesson in catalogue["lessons"]]
    assert "实施心肺复苏" in html and "中小学生入门" in html


@pytest.mark.django_db
def test_lesson_has_previous_and_next_within_its_course(catalogue, client):
    first, middle, last = catalogue["lessons"]
    context = client.get(middle.url).context
    assert (context["neighbours"].previous.pk, context["neighbours"].next.pk) == (first.pk, last.pk)
    assert client.get(first.url).context["neighbours"].previous is None
    assert client.get(last.url).context["neighbours"].next is None


@pytest.mark.django_db
def test_unpublished_lessons_are_404_and_skipped_by_navigation(catalogue, client):
    first, middle, last = catalogue["lessons"]
    url = middle.url
    middle.unpublish()
    assert client.get(url).status_code == 404
    assert client.get(first.url).context["neighbours"].next.pk == last.pk


@pytest.mark.django_db
def test_a_draft_page_is_not_found_by_url(cast, client):
    _base, _curriculum, _course, lessons = course_tree(cast.base_x, lessons=1)
    url = lessons[0].url
    lessons[0].unpublish()
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_catalogue_counts_every_lesson_of_a_course(cast, client):
    course_tree(cast.base_x, lessons=3)
    entries = client.get("/catalogue/").context["entries"]
    assert [entry.lesson_count for entry in entries] == [3]
