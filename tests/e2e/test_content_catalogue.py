"""Phone-sized browser tests: catalogue filters, course overview, lesson navigation; an editor submits a lesson."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.constants import SkillArea
from tests.content.factories import (
    CoursePageFactory,
    CurriculumPageFactory,
    LessonPageFactory,
    course_tree,
    training_base,
)

pytestmark = pytest.mark.django_db(transaction=True)  # course_tree() recreates the page-tree root a flush removes


@pytest.fixture
def courses(cast):
    _base, _curriculum, first_aid, lessons = course_tree(
        cast.base_x, lessons=3, title="应急救护", skill_area=SkillArea.FIRST_AID
    )
    base_y = training_base(cast.base_y)
    pupils = CoursePageFactory(
        parent=CurriculumPageFactory(parent=base_y), title="中小学生入门", for_volunteers=False, for_school=True
    )
    LessonPageFactory(parent=pupils)
    return first_aid, lessons


def test_catalogue_filters_course_overview_and_lesson_navigation_on_a_phone(page, courses):
    _first_aid, lessons = courses
    page.goto("/catalogue/")
    cards = page.get_by_test_id("course-card")
    expect(cards).to_have_count(2)
    page.select_option("#filter-skill-area", "first_aid")
    page.get_by_role("button", name=re.compile("显示课程|Show courses")).click()
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("应急救护")
    page.select_option("#filter-skill-area", "")
    page.select_option("#filter-audience", "school")
    page.get_by_role("button", name=re.compile("显示课程|Show courses")).click()
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("中小学生入门")

    page.goto("/catalogue/?skill_area=first_aid")
    page.get_by_role("link", name="应急救护").click()
    expect(page.get_by_test_id("course-overview")).to_be_visible()
    lesson_links = page.get_by_test_id("lesson-list").get_by_role("link")
    expect(lesson_links).to_have_count(3)
    lesson_links.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(lessons[0].title)
    page.get_by_test_id("next-lesson").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(lessons[1].title)
    page.get_by_test_id("previous-lesson").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(lessons[0].title)
    # Readable on a phone: nothing is wider than the viewport.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
