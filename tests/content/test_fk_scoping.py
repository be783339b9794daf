"""The page forms' foreign keys: an editor cannot give their training base page to another organisation (whose name
would then record the base's learning hours) nor make an unpublished course of another base a prerequisite; a
crafted POST is a form error and the page keeps its draft and live state."""

import pytest
from django.urls import reverse

from accounts.constants import OrganizationKind
from content.models import CoursePage, TrainingBasePage
from tests.content.factories import CoursePageFactory, course_tree
from tests.factories import OrganizationFactory
from tests.fk_scoping_helpers import admin_form_data, admin_user


@pytest.fixture
def pages(cast):
    base_x, _curriculum_x, course_x, _lessons = course_tree(cast.base_x, lessons=1)
    _base_y, curriculum_y, live_y, _lessons = course_tree(cast.base_y, lessons=1)
    draft_y = CoursePageFactory(parent=curriculum_y, title="Y 的草稿课程")
    draft_y.unpublish()
    admin_user(cast.editor_x)
    return {"base_x": base_x, "course_x": course_x, "live_y": live_y, "draft_y": draft_y}


def _edit(client, page, **changes):
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    return client.post(url, admin_form_data(client.get(url), **changes))


def test_an_editor_cannot_hand_the_base_page_to_another_organisation(cast, client_for, pages):
    unclaimed = OrganizationFactory(slug="base-z", kind=OrganizationKind.TRAINING_BASE, parent=cast.city)
    client = client_for(cast.editor_x)
    form = client.get(reverse("wagtailadmin_pages:edit", args=[pages["base_x"].pk])).context["form"]
    assert list(form.fields["organization"].queryset) == [cast.base_x]
    response = _edit(client, pages["base_x"], organization=unclaimed.pk)
    assert response.status_code == 200 and "organization" in response.context["form"].errors
    page = TrainingBasePage.objects.get(pk=pages["base_x"].pk)
    assert page.organization_id == cast.base_x.pk and not page.has_unpublished_changes


def test_a_prerequisite_is_a_published_course_or_the_editors_own(cast, client_for, pages):
    client = client_for(cast.editor_x)
    response = _edit(client, pages["course_x"], prerequisites=[pages["draft_y"].pk])
    assert response.status_code == 200 and "prerequisites" in response.context["form"].errors
    course = CoursePage.objects.get(pk=pages["course_x"].pk)
    assert not course.has_unpublished_changes and not course.prerequisites.exists()
    # Another base's published course is the public catalogue: naming it changes nothing there.
    assert _edit(client, pages["course_x"], prerequisites=[pages["live_y"].pk]).status_code == 302
    draft = CoursePage.objects.get(pk=pages["course_x"].pk).get_latest_revision_as_object()
    assert [course.pk for course in draft.prerequisites.all()] == [pages["live_y"].pk]


def test_the_outsider_cannot_edit_base_x_pages(cast, client_for, pages):
    client = client_for(admin_user(cast.outsider))
    url = reverse("wagtailadmin_pages:edit", args=[pages["course_x"].pk])
    assert client.get(url).status_code in (302, 403)
    response = client.post(url, {"title": "改", "slug": "x", "prerequisites": [pages["draft_y"].pk]})
    assert response.status_code in (302, 403)
    assert not CoursePage.objects.get(pk=pages["course_x"].pk).has_unpublished_changes
