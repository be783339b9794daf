"""The learner dashboard in a fixed number of queries, whatever the number of enrolments."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, Sum

from accounts.constants import OrganizationKind
from accounts.models import Organization, User
from content.models import CoursePage
from core.hours import DEFAULT_MINUTES_PER_HOUR, minutes_to_hours
from core.school_years import current_school_year
from courses.models import Enrollment, EnrollmentStatus
from courses.selectors.learners import learner_school
from courses.selectors.progress import CourseProgress, progress_for_courses
from hours.models import HoursEntry, HoursKind, HoursStatus
from hours.stars import StarLevel, star_level_for_minutes
from schools.selectors.compliance import counted_kinds_for

RECOMMENDATION_COUNT = 4


@dataclass
class EnrollmentRow:
    enrollment: Enrollment
    progress: CourseProgress


@dataclass
class HoursSummary:
    school: Organization | None
    school_year: str
    required_hours: Decimal | None
    year_hours: Decimal
    year_pending_hours: Decimal
    learning_hours_total: Decimal
    service_hours_total: Decimal
    star: StarLevel

    @property
    def requirement_met(self) -> bool:
        return self.required_hours is not None and self.year_hours >= self.required_hours

    @property
    def requirement_percent(self) -> int:
        if not self.required_hours:
            return 100
        return min(100, round(100 * self.year_hours / self.required_hours))


@dataclass
class Dashboard:
    in_progress: list[EnrollmentRow] = field(default_factory=list)
    completed: list[EnrollmentRow] = field(default_factory=list)
    hours: HoursSummary | None = None
    recommendations: list[CoursePage] = field(default_factory=list)


def _hours(minutes: int | None, minutes_per_hour: int) -> Decimal:
    return minutes_to_hours(minutes, minutes_per_hour)


def hours_summary(*, user: User, school: Organization | None, school_year: str | None = None) -> HoursSummary:
    """Verified 学时 this school year credited to the learner's school, and all-time totals (one query)."""
    school_year = school_year or current_school_year()
    verified = Q(status=HoursStatus.VERIFIED)
    # Toward the year's requirement: what the school credits and counts (its policy), as its compliance report does.
    this_year = Q(school_year=school_year, credited_organization=school, kind__in=counted_kinds_for(school))
    totals = HoursEntry.objects.filter(user=user).aggregate(
        year=Sum("minutes", filter=verified & this_year),
        year_pending=Sum("minutes", filter=Q(status=HoursStatus.PENDING) & this_year),
        learning=Sum("minutes", filter=verified & Q(kind=HoursKind.LEARNING)),
        service=Sum("minutes", filter=verified & Q(kind=HoursKind.PRACTICE)),
    )
    school_minutes = school.minutes_per_hour if school is not None else DEFAULT_MINUTES_PER_HOUR
    return HoursSummary(
        school=school,
        school_year=school_year,
        required_hours=school.required_hours if school is not None else None,
        year_hours=_hours(totals["year"], school_minutes),
        year_pending_hours=_hours(totals["year_pending"], school_minutes),
        learning_hours_total=_hours(totals["learning"], DEFAULT_MINUTES_PER_HOUR),
        service_hours_total=_hours(totals["service"], DEFAULT_MINUTES_PER_HOUR),
        # Stars count actual service time (docs/domain.md), so learning hours do not raise them.
        star=star_level_for_minutes(totals["service"] or 0),
    )


def audience_for(school: Organization | None) -> str:
    if school is None:
        return "volunteers"
    return "college" if school.kind == OrganizationKind.COLLEGE else "school"


def recommended_courses(
    *, school: Organization | None, taken_course_ids: set[int], completed_course_ids: set[int], skill_areas: set[str]
) -> list[CoursePage]:
    """Live courses for the learner's audience, not yet taken, whose prerequisites are all completed. Courses that
    follow on from a completed one come first, then the learner's skill areas, then tree order (two queries)."""
    candidates = (
        CoursePage.objects.live()
        .public()
        .filter(**{f"for_{audience_for(school)}": True})
        .exclude(pk__in=taken_course_ids)
        .order_by("path")
        .only("id", "title", "title_en", "url_path", "path", "depth", "skill_area", "credit_hours", "summary")
        .prefetch_related(Prefetch("prerequisites", queryset=CoursePage.objects.live().only("id")))
    )
    ranked = []
    for position, course in enumerate(candidates):
        prerequisite_ids = {prerequisite.pk for prerequisite in course.prerequisites.all()}
        if not prerequisite_ids <= completed_course_ids:
            continue
        follows_on = bool(prerequisite_ids)
        ranked.append((not follows_on, course.skill_area not in skill_areas, position, course))
    ranked.sort(key=lambda row: row[:3])
    return [row[3] for row in ranked[:RECOMMENDATION_COUNT]]


def learner_dashboard(*, user: User) -> Dashboard:
    enrollments = list(
        Enrollment.objects.filter(user=user, status__in=[EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED])
        .select_related("course", "completion", "completion__hours_entry", "last_lesson")
        .order_by("-last_activity_at", "-enrolled_at", "-pk")
    )
    progress = progress_for_courses(user=user, courses=[enrollment.course for enrollment in enrollments])
    dashboard = Dashboard()
    for enrollment in enrollments:
        row = EnrollmentRow(enrollment, progress[enrollment.course_id])
        (dashboard.completed if enrollment.status == EnrollmentStatus.COMPLETED else dashboard.in_progress).append(row)
    school = learner_school(user=user)
    dashboard.hours = hours_summary(user=user, school=school)
    # A completion always leaves its enrolment "completed" (completed enrolments cannot be withdrawn).
    completed_ids = {row.enrollment.course_id for row in dashboard.completed}
    dashboard.recommendations = recommended_courses(
        school=school,
        taken_course_ids={enrollment.course_id for enrollment in enrollments},
        completed_course_ids=completed_ids,
        skill_areas={enrollment.course.skill_area for enrollment in enrollments},
    )
    return dashboard
