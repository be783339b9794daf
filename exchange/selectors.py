"""What the exchange exports: what the organisations whose reports the caller sees (and those below them) recorded
themselves (谁记录谁证明), never what reaches them through a volunteer another organisation also recorded.

Service records: verified practice entries those organisations recorded. Training records: completions of their
bases' courses (the learning entry's recording organisation; for a course that credits no 学时, the base the course
belongs to). Volunteers: their learners and rostered students and anyone they recorded a record for, with the hours,
star level and organisations of that scope only. ID numbers leave only masked; the volunteer number is the key
(docs/domain.md, docs/decisions/0017-own-records-only.md)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Prefetch, Q, QuerySet, Sum

from accounts.constants import Role
from accounts.models import Membership, Organization, User
from accounts.permissions import organizations_for_user
from accounts.validators import mask_phone
from certificates.models import Certificate
from content.models import TrainingBasePage
from core.hours import minutes_to_hours
from courses.models import CourseCompletion
from hours.models import HoursEntry, HoursKind, HoursStatus
from hours.stars import star_level_for_minutes
from schools.models import StudentProfile

VOLUNTEER_FIELDS = [
    "volunteer_number",
    "name",
    "id_document_type",
    "id_number_masked",
    "phone_masked",
    "registered_on",
    "organizations",
    "service_hours",
    "learning_hours",
    "star_level",
]
SERVICE_RECORD_FIELDS = [
    "record_id",
    "volunteer_number",
    "name",
    "service_date",
    "school_year",
    "minutes",
    "hours",
    "activity_title",
    "service_content",
    "place",
    "recording_organization",
    "verified_on",
]
TRAINING_RECORD_FIELDS = [
    "record_id",
    "volunteer_number",
    "name",
    "course_key",
    "course_title",
    "skill_area",
    "credit_hours",
    "credited_minutes",
    "completed_on",
    "score_percent",
    "training_base",
    "certificate_number",
]


def exchange_organizations(*, user: User) -> QuerySet[Organization]:
    return organizations_for_user(user, "view_reports")


def _recorded_completions(organizations: QuerySet[Organization]) -> QuerySet[CourseCompletion]:
    """Completions whose learning the organisations recorded: by the ledger entry, else by the course's base."""
    recorded = Q(hours_entry__recorded_by_organization__in=organizations)
    base_paths = TrainingBasePage.objects.filter(organization__in=organizations).values_list("path", flat=True)
    without_hours = Q()
    for base_path in base_paths:
        without_hours |= Q(course__path__startswith=base_path)
    if without_hours:
        recorded |= Q(hours_entry__isnull=True) & without_hours
    return CourseCompletion.objects.filter(recorded)


def _volunteer_ids(organizations: QuerySet[Organization]) -> Q:
    members = Membership.objects.filter(organization__in=organizations, role=Role.LEARNER).values("user_id")
    students = StudentProfile.objects.filter(organization__in=organizations).values("user_id")
    served = (
        HoursEntry.objects.filter(recorded_by_organization__in=organizations)
        .exclude(status=HoursStatus.REJECTED)
        .values("user_id")
    )
    trained = _recorded_completions(organizations).values("user_id")
    return Q(pk__in=members) | Q(pk__in=students) | Q(pk__in=served) | Q(pk__in=trained)


def _hours(minutes: int | None) -> str:
    return str(minutes_to_hours(minutes))


def _local_date(moment: datetime.datetime | None) -> str:
    from django.utils import timezone

    return timezone.localdate(moment).isoformat() if moment is not None else ""


def exchange_volunteers(*, organizations: QuerySet[Organization]) -> QuerySet[User]:
    """Volunteers in scope; hours and star level count only verified entries the organisations recorded."""
    verified = Q(hours_entries__status=HoursStatus.VERIFIED, hours_entries__recorded_by_organization__in=organizations)
    return (
        User.objects.filter(_volunteer_ids(organizations), is_active=True)
        .annotate(
            service_minutes=Sum("hours_entries__minutes", filter=verified & Q(hours_entries__kind=HoursKind.PRACTICE)),
            learning_minutes=Sum("hours_entries__minutes", filter=verified & Q(hours_entries__kind=HoursKind.LEARNING)),
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(role=Role.LEARNER, organization__in=organizations).select_related(
                    "organization"
                ),
                to_attr="learner_memberships",
            )
        )
        .order_by("volunteer_number")
    )


def volunteer_record(user: User) -> dict:
    return {
        "volunteer_number": user.volunteer_number,
        "name": user.real_name or user.username,
        "id_document_type": "resident_id_card" if user.resident_id else "",
        "id_number_masked": user.masked_resident_id,
        "phone_masked": mask_phone(user.phone),
        "registered_on": _local_date(user.date_joined),
        "organizations": ";".join(
            sorted({membership.organization.name for membership in getattr(user, "learner_memberships", [])})
        ),
        "service_hours": _hours(user.service_minutes),  # type: ignore[attr-defined]
        "learning_hours": _hours(user.learning_minutes),  # type: ignore[attr-defined]
        "star_level": star_level_for_minutes(user.service_minutes or 0).stars,  # type: ignore[attr-defined]
    }


def exchange_service_records(
    *, organizations: QuerySet[Organization], since: datetime.date | None = None
) -> QuerySet[HoursEntry]:
    """Verified practice (service) hours recorded by an organisation in scope."""
    entries = HoursEntry.objects.filter(
        kind=HoursKind.PRACTICE, status=HoursStatus.VERIFIED, recorded_by_organization__in=organizations
    )
    if since is not None:
        entries = entries.filter(occurred_on__gte=since)
    return entries.select_related("user", "recorded_by_organization", "service_participation__activity").order_by(
        "occurred_on", "pk"
    )


def service_record(entry: HoursEntry) -> dict:
    participation = getattr(entry, "service_participation", None)
    activity = participation.activity if participation is not None else None
    return {
        "record_id": f"HE-{entry.pk}",
        "volunteer_number": entry.user.volunteer_number,
        "name": entry.user.real_name or entry.user.username,
        "service_date": entry.occurred_on.isoformat(),
        "school_year": entry.school_year,
        "minutes": entry.minutes,
        "hours": _hours(entry.minutes),
        "activity_title": activity.title if activity is not None else entry.description,
        "service_content": activity.content if activity is not None else entry.description,
        "place": activity.place if activity is not None else "",
        "recording_organization": entry.recorded_by_organization.name if entry.recorded_by_organization else "",
        "verified_on": _local_date(entry.verified_at),
    }


def exchange_training_records(
    *, organizations: QuerySet[Organization], since: datetime.date | None = None
) -> QuerySet[CourseCompletion]:
    """Completed courses whose learning an organisation in scope recorded (its bases' courses)."""
    completions = _recorded_completions(organizations)
    if since is not None:
        completions = completions.filter(completed_at__date__gte=since)
    return completions.select_related("user", "course", "hours_entry__recorded_by_organization").order_by(
        "completed_at", "pk"
    )


def certificate_numbers(
    completions: list[CourseCompletion], *, organizations: QuerySet[Organization]
) -> dict[str, str]:
    """The current certificate number per completion source key, of certificates an organisation in scope issued
    (one query for a page of completions)."""
    keys = [f"course-completion:{completion.pk}" for completion in completions]
    rows = Certificate.objects.filter(
        source_key__in=keys, superseded_at__isnull=True, issuer__in=organizations
    ).values_list("source_key", "number")
    return dict(rows)


def training_record(completion: CourseCompletion, numbers: dict[str, str]) -> dict:
    entry = completion.hours_entry
    base = entry.recorded_by_organization if entry is not None else None
    return {
        "record_id": f"CC-{completion.pk}",
        "volunteer_number": completion.user.volunteer_number,
        "name": completion.user.real_name or completion.user.username,
        "course_key": completion.course.key,
        "course_title": completion.course.title,
        "skill_area": completion.course.skill_area,
        "credit_hours": str(completion.course.credit_hours),
        "credited_minutes": completion.credit_minutes,
        "completed_on": _local_date(completion.completed_at),
        "score_percent": str(completion.score_percent) if completion.score_percent is not None else "",
        "training_base": base.name if base is not None else "",
        "certificate_number": numbers.get(f"course-completion:{completion.pk}", ""),
    }


def in_chunks(queryset: QuerySet, size: int = 500) -> Iterator[list]:
    """The queryset in lists of `size` rows (prefetches apply per chunk), so exports stay flat in memory."""
    chunk: list = []
    for row in queryset.iterator(chunk_size=size):
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
