"""An editor of base X creates a lesson in /cms/ and submits it for moderation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from content.models import LessonPage
from tests.content.factories import course_tree
from tests.e2e.conftest import login_through_page

pytestmark = pytest.mark.django_db(transaction=True)  # course_tree() recreates the page-tree root a flush removes


def test_editor_creates_a_lesson_and_submits_it_for_moderation(desktop_page, cast):
    _base, _curriculum, course, _lessons = course_tree(cast.base_x, lessons=0)
    page = desktop_page
    login_through_page(page, "editor_x", cast.password)
    page.goto(f"/cms/pages/add/content/lessonpage/{course.pk}/")
    page.fill("#id_title", "志愿服务中的沟通")
    page.fill("#id_key", "communication")
    page.locator("[data-w-dropdown-target='toggle']").last.click()
    page.locator("button[name='action-submit']").click()
    expect(page.locator(".messages")).to_be_visible()
    lesson = LessonPage.objects.get(key="communication")
    assert lesson.get_parent().pk == course.pk
    assert not lesson.live
    assert lesson.current_workflow_state is not None
    assert lesson.current_workflow_state.workflow.name == "Moderators approval"
