import io

import pytest
from django.core.management import call_command

from courses.models import CourseCompletion, Enrollment, LessonProgress
from hours.models import HoursEntry

pytestmark = pytest.mark.django_db


def counts():
    return (
        Enrollment.objects.count(),
        CourseCompletion.objects.count(),
        HoursEntry.objects.count(),
        LessonProgress.objects.count(),
    )


def test_the_demo_learners_have_progress_and_a_second_load_adds_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    first = counts()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    assert counts() == first
    volunteer = CourseCompletion.objects.select_related("hours_entry").get(
        user__username="volunteer", course__key="intro-volunteering"
    )
    assert volunteer.course.key == "intro-volunteering" and volunteer.hours_entry.minutes == 120
    assert volunteer.hours_entry.credited_organization is None
    student = CourseCompletion.objects.select_related("hours_entry").get(user__username="student")
    assert student.hours_entry.credited_organization.slug == "vocational-college"
    assert Enrollment.objects.filter(user__username="pupil", status="active").exists()


def test_every_demo_step_is_allowed(django_capture_on_commit_callbacks):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=out)
    assert "skipped" not in out.getvalue()
    assert Enrollment.objects.filter(user__username="volunteer", course__key="first-aid", status="active").exists()
