"""Editors work only under their own training base, through Wagtail page permissions (no publishing).

Wagtail's admin would answer a plain browser request with a redirect to its dashboard; lms.admin_permissions makes
every refusal a 403 (docs/decisions/0005-admin-403.md). Both the JavaScript (X-Requested-With) and the plain request
are asserted.
"""

import pytest

from content.models import CoursePage
from tests.content.factories import CoursePageFactory, course_tree

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def assert_denied(client, method: str, url: str, data: dict | None = None) -> None:
    send = getattr(client, method)
    assert send(url, data or {}, **XHR).status_code == 403
    response = send(url, data or {})
    assert response.status_code == 403


@pytest.fixture
def two_bases(cast):
    base_x, curriculum_x, course_x, lessons_x = course_tree(cast.base_x, lessons=1)
    base_y, curriculum_y, course_y, lessons_y = course_tree(cast.base_y, lessons=1)
    return {
        "base_x": base_x,
        "curriculum_x": curriculum_x,
        "course_x": course_x,
        "lesson_x": lessons_x[0],
        "base_y": base_y,
        "curriculum_y": curriculum_y,
        "course_y": course_y,
        "lesson_y": lessons_y[0],
    }


@pytest.mark.django_db
def test_creating_a_training_base_page_gives_its_editors_a_group_on_that_subtree(cast, two_bases):
    cast.base_x.refresh_from_db()
    assert cast.base_x.root_page_id == two_bases["base_x"].pk
    assert cast.editor_x.groups.filter(name="Editors: base-x").exists()
    assert not cast.editor_x.groups.filter(name="Editors: base-y").exists()


@pytest.mark.django_db
def test_editor_can_open_own_pages_in_the_admin(cast, two_bases, client_for):
    client = client_for(cast.editor_x)
    assert client.get(f"/cms/pages/{two_bases['course_x'].pk}/edit/").status_code == 200
    assert client.get(f"/cms/pages/add/content/lessonpage/{two_bases['course_x'].pk}/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/cms/pages/{course_y}/edit/",
        "/cms/pages/{lesson_y}/edit/",
        "/cms/pages/{course_y}/delete/",
        "/cms/pages/{course_y}/move/",
        "/cms/pages/{course_y}/unpublish/",
        "/cms/pages/add/content/coursepage/{curriculum_y}/",
        "/cms/pages/add/content/lessonpage/{course_y}/",
    ],
)
def test_editor_gets_403_on_the_other_bases_pages(cast, two_bases, client_for, url):
    client = client_for(cast.editor_x)
    assert_denied(client, "get", url.format(**{name: page.pk for name, page in two_bases.items()}))


@pytest.mark.django_db
def test_editor_cannot_publish_edit_or_delete_the_other_bases_page_by_post(cast, two_bases, client_for):
    client = client_for(cast.editor_x)
    course_y = two_bases["course_y"]
    assert_denied(
        client,
        "post",
        f"/cms/pages/{course_y.pk}/edit/",
        {"title": "改掉", "slug": course_y.slug, "key": course_y.key, "summary": "x", "action-publish": "1"},
    )
    assert_denied(client, "post", f"/cms/pages/{course_y.pk}/delete/")
    course_y.refresh_from_db()
    assert course_y.title != "改掉"
    assert CoursePage.objects.filter(pk=course_y.pk).exists()


@pytest.mark.django_db
def test_editor_cannot_move_a_page_into_the_other_base(cast, two_bases, client_for):
    client = client_for(cast.editor_x)
    draft = CoursePageFactory.build(key="draft-course", slug="draft-course", title="草稿课程", summary="x")
    two_bases["curriculum_x"].add_child(instance=draft)  # never published, so moving it needs no publish right
    url = f"/cms/pages/{draft.pk}/move/{two_bases['curriculum_y'].pk}/confirm/"
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    draft.refresh_from_db()
    assert draft.get_parent().pk == two_bases["curriculum_x"].pk


@pytest.mark.django_db
def test_editor_cannot_publish_even_own_pages(cast, two_bases, client_for):
    client = client_for(cast.editor_x)
    course_x = two_bases["course_x"]
    assert_denied(client, "post", f"/cms/pages/{course_x.pk}/unpublish/")
    course_x.refresh_from_db()
    assert course_x.live


@pytest.mark.django_db
@pytest.mark.parametrize("user_name", ["outsider", "learner", "coordinator_a"])
def test_people_without_an_editor_role_cannot_enter_the_page_editor(cast, two_bases, client_for, user_name):
    client = client_for(getattr(cast, user_name))
    response = client.get(f"/cms/pages/{two_bases['course_x'].pk}/edit/")
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or "/cms/login/" in response["Location"] or response["Location"] == "/"
