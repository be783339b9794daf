import pytest
from django.core.management import call_command

from content.demo import DEMO_PACKAGE
from content.models import CoursePage, LessonPage, TrainingBasePage
from content.packages import package_read


def counts() -> dict:
    return {
        "courses": CoursePage.objects.count(),
        "lessons": LessonPage.objects.count(),
        "live_courses": CoursePage.objects.live().count(),
        "live_lessons": LessonPage.objects.live().count(),
        "bases": TrainingBasePage.objects.count(),
    }


@pytest.mark.django_db
def test_load_demo_twice_gives_the_same_published_demo_curriculum():
    call_command("load_demo", stdout=None)
    first = counts()
    call_command("load_demo")
    assert counts() == first
    assert first["courses"] >= 16 and first["lessons"] >= 50 and first["bases"] >= 2
    assert (first["live_courses"], first["live_lessons"]) == (first["courses"], first["lessons"])
    assert all(3 <= LessonPage.objects.child_of(course).count() <= 6 for course in CoursePage.objects.all())


@pytest.mark.django_db
def test_demo_package_is_valid_with_16_courses_in_two_bases():
    call_command("load_demo")
    package = package_read(DEMO_PACKAGE)
    assert len(package.courses) == 16
    assert len({curriculum.base for curriculum in package.curricula}) >= 2
    assert all(course.title_en and course.summary_en for course in package.courses.values())
