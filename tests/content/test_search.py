"""A Chinese word inside a lesson is found, on SQLite (FTS5) and on PostgreSQL (full-text)."""

import pytest

from content.search import cjk_bigrams
from content.selectors import content_search, search_query_text
from tests.conftest import postgres_only
from tests.content.factories import course_tree


def test_cjk_runs_become_overlapping_bigrams():
    assert cjk_bigrams("心肺复苏 CPR 救") == ["心肺", "肺复", "复苏", "救"]
    assert search_query_text("AED 除颤器") == "AED 除颤 颤器"


@pytest.fixture
def lesson_with_word(cast):
    _base, _curriculum, _course, lessons = course_tree(cast.base_x, lessons=2)
    lesson = lessons[0]
    lesson.body = [("rich_text", "<p>遇到心脏骤停时，应立即进行心肺复苏并尽快使用除颤器。</p>")]
    lesson.save_revision().publish()
    return lesson


def _assert_found(lesson):
    assert [page.pk for page in content_search(query="除颤器")] == [lesson.pk]
    assert [page.pk for page in content_search(query="心肺复苏")] == [lesson.pk]
    assert content_search(query="灭火器") == []


@pytest.mark.django_db
def test_chinese_word_inside_a_lesson_is_found_on_sqlite(lesson_with_word, settings):
    if settings.USING_POSTGRESQL:
        pytest.skip("the SQLite run covers FTS5")
    _assert_found(lesson_with_word)


@postgres_only()
@pytest.mark.django_db
def test_chinese_word_inside_a_lesson_is_found_on_postgresql(lesson_with_word):
    _assert_found(lesson_with_word)


@pytest.mark.django_db
def test_unpublished_lessons_are_not_found(lesson_with_word):
    lesson_with_word.unpublish()
    assert content_search(query="除颤器") == []


@pytest.mark.django_db
def test_search_page_lists_the_lesson_for_anyone(lesson_with_word, client, cast, client_for):
    for test_client in (client, client_for(cast.outsider)):
        response = test_client.get("/search/", {"q": "除颤器"})
        assert response.status_code == 200
        assert lesson_with_word.title in response.content.decode()
