"""Reads for the learner-facing content pages: the catalogue, course outlines, lesson neighbours, search."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import Substr
from wagtail.models import Page

from accounts.constants import SkillArea
from content.models import Audience, CoursePage, CurriculumPage, LessonPage, TrainingBasePage
from content.search import cjk_bigrams

STEPLEN = Page.steplen


@dataclass(frozen=True)
class CatalogueFilters:
    audience: str = ""
    skill_area: str = ""
    base: str = ""  # a TrainingBasePage key

    @classmethod
    def from_params(cls, params) -> CatalogueFilters:
        audience = params.get("audience", "")
        skill_area = params.get("skill_area", "")
        return cls(
            audience=audience if audience in Audience.values else "",
            skill_area=skill_area if skill_area in SkillArea.values else "",
            base=(params.get("base") or "")[:64],
        )


@dataclass
class CatalogueEntry:
    course: CoursePage
    curriculum: CurriculumPage | None
    base: TrainingBasePage | None
    lesson_count: int


def _live_child_counts(parent_paths: list[str], depth: int) -> dict[str, int]:
    """Live LessonPages per parent path, in one grouped query."""
    if not parent_paths:
        return {}
    rows = (
        LessonPage.objects.live()
        .filter(depth=depth + 1)
        .annotate(parent_path=Substr("path", 1, depth * STEPLEN))
        .filter(parent_path__in=parent_paths)
        .order_by()  # the page manager orders by path, which would split the GROUP BY per page
        .values("parent_path")
        .annotate(count=Count("pk"))
        .values_list("parent_path", "count")
    )
    return dict(rows)


def catalogue_entries(*, filters: CatalogueFilters) -> list[CatalogueEntry]:
    """Live public courses matching the filters, in tree order, each with its curriculum, base and lesson count.
    Four queries whatever the number of courses."""
    courses = CoursePage.objects.live().public().order_by("path")
    if filters.audience:
        courses = courses.filter(**{f"for_{filters.audience}": True})
    if filters.skill_area:
        courses = courses.filter(skill_area=filters.skill_area)
    if filters.base:
        base = TrainingBasePage.objects.filter(key=filters.base).only("path", "depth").first()
        courses = courses.descendant_of(base) if base is not None else courses.none()
    courses_list = list(courses.select_related("cover_image"))
    if not courses_list:
        return []
    curricula = {page.path: page for page in CurriculumPage.objects.live().order_by("path")}
    bases = {page.path: page for page in TrainingBasePage.objects.live().order_by("path")}
    counts: dict[str, int] = {}
    by_depth: dict[int, list[str]] = defaultdict(list)
    for course in courses_list:
        by_depth[course.depth].append(course.path)
    for depth, paths in by_depth.items():
        counts.update(_live_child_counts(paths, depth))
    entries = []
    for course in courses_list:
        parent_path = course.path[: (course.depth - 1) * STEPLEN]
        curriculum = curricula.get(parent_path)
        base = bases.get(parent_path[: (course.depth - 2) * STEPLEN])
        entries.append(CatalogueEntry(course, curriculum, base, counts.get(course.path, 0)))
    return entries


def catalogue_training_bases() -> list[TrainingBasePage]:
    return list(TrainingBasePage.objects.live().public().order_by("path"))


def course_lessons(*, course: CoursePage) -> list[LessonPage]:
    return list(
        LessonPage.objects.child_of(course)
        .live()
        .order_by("path")
        .only("id", "title", "title_en", "url_path", "path", "depth", "estimated_minutes")
    )


def course_prerequisites(*, course: CoursePage) -> list[CoursePage]:
    # In the admin's preview the course is the editor's unsaved form: its prerequisites are modelcluster's in-memory
    # FakeQuerySet, which has no live(); selecting by their ids reads the same rows either way, in one query.
    return list(
        CoursePage.objects.filter(pk__in=course.prerequisites.values_list("id", flat=True))
        .live()
        .order_by("path")
        .only("id", "title", "title_en", "url_path", "path", "depth")
    )


@dataclass
class LessonNeighbours:
    previous: LessonPage | None
    next: LessonPage | None
    position: int
    total: int


def lesson_neighbours(*, lesson: LessonPage) -> LessonNeighbours:
    """The live lessons before and after this one in its course, from one query."""
    siblings = list(
        LessonPage.objects.sibling_of(lesson, inclusive=True)
        .live()
        .order_by("path")
        .only("id", "title", "title_en", "url_path", "path", "depth")
    )
    ids = [sibling.pk for sibling in siblings]
    if lesson.pk not in ids:  # a draft preview: no place among the live lessons
        return LessonNeighbours(None, None, 0, len(siblings))
    index = ids.index(lesson.pk)
    return LessonNeighbours(
        siblings[index - 1] if index > 0 else None,
        siblings[index + 1] if index + 1 < len(siblings) else None,
        index + 1,
        len(siblings),
    )


def search_query_text(query: str) -> str:
    """The words of the query with each CJK run replaced by its character bigrams (how lessons are indexed)."""
    words: list[str] = []
    for word in query.split():
        grams = cjk_bigrams(word)
        if grams:
            words.extend(grams)
            remainder = "".join(ch if not cjk_bigrams(ch) else " " for ch in word).split()
            words.extend(remainder)
        else:
            words.append(word)
    return " ".join(words)


def content_search(*, query: str, limit: int = 50) -> list[Page]:
    """Live courses and lessons matching every word (CJK as bigrams) of the query, best first."""
    text = search_query_text(query.strip()[:100])
    if not text:
        return []
    results = Page.objects.live().public().type(CoursePage, LessonPage).specific().search(text, operator="and")
    return list(results[:limit])
