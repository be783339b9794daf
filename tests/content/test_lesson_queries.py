"""A lesson's query count does not grow with its internal links (Wagtail's default costs one query per value)."""

import pytest

from content.models import LessonPage
from tests.content.factories import course_tree


def _body(targets, links: int) -> list:
    """Twenty blocks, `links` internal page links spread over the twelve rich-text blocks."""
    link_htmls = [
        f'<a linktype="page" id="{targets[index % len(targets)].pk}">链接{index}</a>' for index in range(links)
    ]
    rich_texts = [[] for _ in range(12)]
    for index, link in enumerate(link_htmls):
        rich_texts[index % 12].append(link)
    blocks = [("rich_text", f"<p>第{index}段 {' '.join(parts)}</p>") for index, parts in enumerate(rich_texts)]
    blocks += [
        ("heading", "小标题"),
        ("heading", "另一个小标题"),
        ("key_points", {"title": "", "points": ["按压深度 5-6 厘米", "频率 100-120 次/分"]}),
        ("steps", {"title": "", "steps": ["确认安全", "判断意识"]}),
        ("checklist", {"title": "", "items": ["手套", "口罩"]}),
        ("glossary_term", {"term": "AED", "definition": "自动体外除颤器"}),
        ("video", {"file": None, "embed_url": "https://player.example.org/embed/1", "caption": "演示"}),
        ("heading", "小结"),
    ]
    assert len(blocks) == 20
    return blocks


@pytest.fixture
def lesson_with_links(cast):
    def make(links: int) -> LessonPage:
        _base, _curriculum, course, lessons = course_tree(cast.base_x, lessons=3)
        lesson = lessons[1]
        lesson.body = _body([course, *lessons], links)
        lesson.save_revision().publish()
        return LessonPage.objects.get(pk=lesson.pk)

    return make


@pytest.mark.django_db
@pytest.mark.parametrize("links", [1, 30])
def test_lesson_with_20_blocks_renders_in_the_same_small_number_of_queries(
    lesson_with_links, client, django_assert_num_queries, links
):
    lesson = lesson_with_links(links)
    client.get(lesson.url)  # warm per-process caches (content types, site root paths)
    with django_assert_num_queries(9):
        response = client.get(lesson.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('href="/') - html.count('href="/static') >= links
    assert 'linktype="page"' not in html


@pytest.mark.django_db
def test_lesson_page_stays_within_twelve_queries(lesson_with_links, client, django_assert_max_num_queries):
    lesson = lesson_with_links(30)
    client.get(lesson.url)
    with django_assert_max_num_queries(12):
        assert client.get(lesson.url).status_code == 200


@pytest.mark.django_db
def test_internal_links_point_at_the_linked_pages(lesson_with_links, client):
    lesson = lesson_with_links(3)
    course = lesson.get_parent()
    html = client.get(lesson.url).content.decode()
    assert f'<a href="{course.url}">链接0</a>' in html
