"""Who a learner is to the platform: their school or college, and which courses' rules they meet."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.constants import OrganizationKind, Role
from accounts.models import Membership, Organization, User
from content.models import CoursePage, LessonPage, TrainingBasePage
from courses.models import CourseCompletion

EDUCATIONAL_KINDS = (OrganizationKind.COLLEGE, OrganizationKind.SCHOOL)


def learner_school(*, user: User) -> Organization | None:
    """The school or college the learner studies at (their earliest learner membership of one), or None."""
    membership = (
        Membership.objects.filter(user=user, role=Role.LEARNER, organization__kind__in=EDUCATIONAL_KINDS)
        .select_related("organization")
        .order_by("pk")
        .first()
    )
    return membership.organization if membership is not None else None


def course_training_base_organization(*, course: CoursePage) -> Organization | None:
    """The organisation of the training base that publishes the course (it records the learning hours)."""
    base = TrainingBasePage.objects.ancestor_of(course).select_related("organization").first()
    return base.organization if base is not None else None


def course_live_lessons(*, course: CoursePage) -> QuerySet[LessonPage]:
    return (
        LessonPage.objects.child_of(course)
        .live()
        .order_by("path")
        .only("id", "title", "title_en", "url_path", "path", "depth", "estimated_minutes")
    )


def missing_prerequisites(*, user: User, course: CoursePage) -> list[CoursePage]:
    """Live prerequisite courses of `course` that the learner has not completed."""
    # Query the table, not course.prerequisites: a ParentalManyToMany reads unsaved in-memory state.
    prerequisites = list(
        CoursePage.objects.live().filter(required_by=course).order_by("path").only("id", "title", "title_en")
    )
    if not prerequisites:
        return []
    done = set(CourseCompletion.objects.filter(user=user, course__in=prerequisites).values_list("course_id", flat=True))
    return [prerequisite for prerequisite in prerequisites if prerequisite.pk not in done]
