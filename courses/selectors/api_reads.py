"""Reads behind the API (courses/api/): the caller's current enrolment, pages of enrolments with their progress,
the parent course of a lesson, and the people an activity's participant rows name. Fixed query counts per page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from assessments.models import Quiz
from content.models import CoursePage, LessonPage
from courses.models import (
    CourseCompletion,
    Enrollment,
    EnrollmentStatus,
    HoursEntry,
    HoursStatus,
    ServiceActivity,
    StudentProfile,
)
from courses.selectors.participants import participant_directory
from courses.selectors.progress import CourseProgress, progress_for_courses
from courses.services.practice import ParticipantInput
from lms.accounts.models import Organization, User

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


def hours_entries_of_year(*, user: User, school_year: str) -> QuerySet[HoursEntry]:
    return (
        HoursEntry.objects.filter(user=user, school_year=school_year)
        .select_related("credited_organization", "recorded_by_organization")
        .order_by("-occurred_on", "-pk")
    )


def public_course(*, course_id: int) -> CoursePage | None:
    return CoursePage.objects.live().public().filter(pk=course_id).first()


def public_lesson(*, lesson_id: int) -> tuple[LessonPage, CoursePage] | None:
    """A published lesson and its course, or None."""
    lesson = LessonPage.objects.live().public().filter(pk=lesson_id).first()
    if lesson is None:
        return None
    course = CoursePage.objects.live().public().parent_of(lesson).first()
    return (lesson, course) if course is not None else None


def course_quizzes(*, course: CoursePage) -> list[Quiz]:
    return list(Quiz.objects.filter(course=course).order_by("pk"))


def quiz_for_start(*, quiz_id: int) -> Quiz | None:
    return Quiz.objects.select_related("bank__organization", "course").filter(pk=quiz_id).first()


def course_is_public(*, course_id: int | None) -> bool:
    return course_id is not None and CoursePage.objects.live().public().filter(pk=course_id).exists()


def roster(*, organization: Organization, search: str = "", school_class_id: int | None = None):
    students = StudentProfile.objects.filter(organization=organization).select_related("user", "school_class")
    search = search.strip()
    if search:
        students = students.filter(Q(student_number__icontains=search) | Q(user__real_name__icontains=search))
    if school_class_id:
        students = students.filter(school_class_id=school_class_id)
    return students.order_by("school_class__name", "student_number", "pk")


def activities_of(*, organization: Organization) -> QuerySet[ServiceActivity]:
    return (
        ServiceActivity.objects.filter(organizer=organization)
        .annotate(
            participant_count=Count("participations"),
            pending_count=Count("participations", filter=Q(participations__hours_entry__status=HoursStatus.PENDING)),
        )
        .order_by("-occurred_on", "-pk")
    )


def activity_of(*, organization: Organization, activity_id: int) -> ServiceActivity | None:
    return ServiceActivity.objects.filter(organizer=organization, pk=activity_id).first()


def participants_by_number(
    *, organizer: Organization, rows: Sequence[dict]
) -> tuple[list[ParticipantInput], list[str]]:
    """Participants named by a student number of the organiser's roster or a volunteer number (two queries);
    one message per row that names nobody."""
    directory = participant_directory(organizer=organizer, rows=rows)
    participants: list[ParticipantInput] = []
    errors: list[str] = []
    for number, row in enumerate(rows, start=1):
        prefix = _("Participant %(number)d") % {"number": number}
        user, error = directory.resolve(row, prefix)
        if user is None:
            errors.append(error)
            continue
        participants.append(
            ParticipantInput(user=user, minutes=row.get("minutes"), label=f"{prefix} ({user.display_name})")
        )
    return participants, errors
