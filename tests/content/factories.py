"""Page factories: each takes `parent` and adds the page under it, published."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

from content.models import CoursePage, CurriculumPage, LessonPage
from content.services import home_page_ensure, training_base_page_ensure


class _PageFactory(DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return model_class.objects.get(pk=page.pk)


class CurriculumPageFactory(_PageFactory):
    class Meta:
        model = CurriculumPage

    title = factory.Sequence(lambda n: f"课程体系{n}")
    key = factory.Sequence(lambda n: f"curriculum-{n}")
    slug = factory.SelfAttribute("key")
    for_volunteers = True


class CoursePageFactory(_PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"课程{n}")
    key = factory.Sequence(lambda n: f"course-{n}")
    slug = factory.SelfAttribute("key")
    summary = "一门测试课程。"
    for_volunteers = True


class LessonPageFactory(_PageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"第{n}课")
    key = factory.Sequence(lambda n: f"lesson-{n}")
    slug = factory.SelfAttribute("key")
    body = factory.LazyFunction(lambda: [("rich_text", "<p>正文。</p>")])


def page_tree_root_ensure() -> None:
    """Wagtail's root page and default locale come from migrations; a transactional test's flush removes them."""
    if Page.get_first_root_node() is None:
        locale, _created = Locale.objects.get_or_create(language_code=get_supported_content_language_variant("zh-hans"))
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale, live=True))


def training_base(organization, key: str | None = None):
    """The organisation's published TrainingBasePage (and the home page, if missing)."""
    page_tree_root_ensure()
    home_page_ensure(title="首页")
    return training_base_page_ensure(
        organization=organization, key=key or organization.slug, title=organization.name, title_en=organization.slug
    )


def course_tree(organization, *, lessons: int = 3, **course_fields):
    """base > curriculum > course > `lessons` lessons; returns (base, curriculum, course, [lessons])."""
    base = training_base(organization)
    curriculum = CurriculumPageFactory(parent=base)
    course = CoursePageFactory(parent=curriculum, **course_fields)
    lesson_pages = [LessonPageFactory(parent=course) for _ in range(lessons)]
    return base, curriculum, course, lesson_pages
