"""The roster and the practice activities of one school, as the coordinator's pages and the API list them."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from accounts.models import Organization
from hours.models import HoursStatus
from schools.models import ServiceActivity, StudentProfile


def roster(*, organization: Organization, search: str = "", school_class_id: int | None = None) -> QuerySet:
    """The school's students, filtered by a student number or name fragment and a class, in class order."""
    students = StudentProfile.objects.filter(organization=organization).select_related("user", "school_class")
    search = search.strip()
    if search:
        students = students.filter(Q(student_number__icontains=search) | Q(user__real_name__icontains=search))
    if school_class_id:
        students = students.filter(school_class_id=school_class_id)
    return students.order_by("school_class__name", "student_number", "pk")


def activities_of(*, organization: Organization) -> QuerySet[ServiceActivity]:
    """The organiser's activities, newest first, with their participant and pending counts."""
    return (
        ServiceActivity.objects.filter(organizer=organization)
        .annotate(
            participant_count=Count("participations"),
            pending_count=Count("participations", filter=Q(participations__hours_entry__status=HoursStatus.PENDING)),
        )
        .order_by("-occurred_on", "-pk")
    )


def activity_of(*, organization: Organization, activity_id: int) -> ServiceActivity | None:
    """One activity of the organiser, or None (an activity of another organiser is None too)."""
    return (
        ServiceActivity.objects.select_related("organizer", "recorded_by")
        .filter(organizer=organization, pk=activity_id)
        .first()
    )
