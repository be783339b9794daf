"""The learner's enrolments: the current one in a course, a page of them with progress, and the published courses,
lessons and quizzes a learner may reach. The HTML views and the API read through here alike."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.models import User
from assessments.models import Quiz
from content.models import CoursePage, LessonPage
from courses.models import CourseCompletion, Enrollment, EnrollmentStatus
from courses.selectors.progress import CourseProgress, progress_for_courses

CURRENT = (EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED)


def current_enrollment(*, user: User, course: CoursePage) -> Enrollment | None:
    """The learner's active or completed enrolment in the course (withdrawn rows are history), or None."""
    if not user.is_authenticated:
        return None
    return (
        Enrollment.objects.filter(user=user, course=course, status__in=CURRENT)
        .select_related("course", "user")
        .order_by("-pk")
        .first()
    )


def current_enrollments(*, user: User) -> QuerySet[Enrollment]:
    return (
        Enrollment.objects.filter(user=user, status__in=CURRENT)
        .select_related("course", "completion")
        .order_by("-last_activity_at", "-enrolled_at", "-pk")
    )


@dataclass
class EnrollmentProgress:
    enrollment: Enrollment
    progress: CourseProgress
    completion: CourseCompletion | None


def enrollments_progress(*, user: User, enrollments: Sequence[Enrollment]) -> list[EnrollmentProgress]:
    """Each enrolment of one page with the learner's progress (four queries for the page, whatever its size)."""
    progress = progress_for_courses(user=user, courses=[enrollment.course for enrollment in enrollments])
    return [
        EnrollmentProgress(enrollment, progress[enrollment.course_id], getattr(enrollment, "completion", None))
        for enrollment in enrollments
    ]


def public_courses() -> QuerySet[CoursePage]:
    """Published courses anyone may enrol in, in the tree's order."""
    return CoursePage.objects.live().public().order_by("path")


def public_course(*, course_id: int) -> CoursePage | None:
    return public_courses().filter(pk=course_id).first()


def course_is_public(*, course_id: int | None) -> bool:
    return course_id is not None and public_courses().filter(pk=course_id).exists()


def public_lesson(*, lesson_id: int) -> tuple[LessonPage, CoursePage] | None:
    """A published lesson and its course, or None."""
    lesson = LessonPage.objects.live().public().filter(pk=lesson_id).first()
    if lesson is None:
        return None
    course = CoursePage.objects.live().public().parent_of(lesson).first()
    return (lesson, course) if course is not None else None


def course_quizzes(*, course: CoursePage) -> list[Quiz]:
    return list(Quiz.objects.filter(course=course, live=True).order_by("pk"))


def course_quiz(*, course_id: int, quiz_id: int) -> Quiz | None:
    """A published quiz of the course (with its bank), or None."""
    return Quiz.objects.select_related("bank").filter(pk=quiz_id, course_id=course_id, live=True).first()


def quiz_for_start(*, quiz_id: int) -> Quiz | None:
    return Quiz.objects.select_related("bank__organization", "course").filter(pk=quiz_id, live=True).first()
