"""Reads of the certificates app: lists for learners and issuers, the verification lookup, bulk-job candidates."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.constants import Role
from accounts.models import Organization, User
from accounts.permissions import organizations_for_user
from certificates.models import BulkIssueJob, Certificate, CertificateDefinition, CertificateKind, CertificateStatus


def certificate_for_verification(*, code: str) -> Certificate | None:
    """Always read from the database (no cache): a revocation shows on the very next request."""
    if not code or len(code) > 32:
        return None
    # The code is unique: no ORDER BY (Django's first() would add one and spend more compiling it than the database
    # spends on the lookup); the successor of a revoked certificate is read only when there is one to show.
    return next(iter(Certificate.objects.filter(verification_code=code).order_by()[:1]), None)


def certificates_for_learner(*, user: User) -> QuerySet[Certificate]:
    return (
        Certificate.objects.filter(learner=user, superseded_at__isnull=True)
        .only("number", "verification_code", "context", "status", "issued_at", "valid_until", "revoked_at", "pdf")
        .order_by("-issued_at", "-pk")
    )


def issuer_organizations(*, user: User) -> QuerySet[Organization]:
    return organizations_for_user(user, "issue_certificates").order_by("name")


def definitions_for_issuer(*, user: User) -> QuerySet[CertificateDefinition]:
    return (
        CertificateDefinition.objects.filter(issuer__in=issuer_organizations(user=user), is_active=True)
        .select_related("issuer", "course")
        .order_by("issuer__name", "title")
    )


@dataclass(frozen=True)
class CertificateFilters:
    status: str = ""
    definition_id: int | None = None
    query: str = ""
    issued_from: datetime.date | None = None
    issued_to: datetime.date | None = None


def certificates_for_issuer(*, user: User, filters: CertificateFilters) -> QuerySet[Certificate]:
    """Certificates of every organisation the user issues for, filtered; expiry is judged as of today."""
    queryset = Certificate.objects.filter(issuer__in=issuer_organizations(user=user)).select_related(
        "definition", "issuer", "learner"
    )
    today = timezone.localdate()
    if filters.status == CertificateStatus.VALID:
        queryset = queryset.filter(status=CertificateStatus.VALID).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        )
    elif filters.status == CertificateStatus.EXPIRED:
        queryset = queryset.filter(
            Q(status=CertificateStatus.EXPIRED) | Q(status=CertificateStatus.VALID, valid_until__lt=today)
        )
    elif filters.status == CertificateStatus.REVOKED:
        queryset = queryset.filter(status=CertificateStatus.REVOKED)
    if filters.definition_id:
        queryset = queryset.filter(definition_id=filters.definition_id)
    if filters.query:
        term = filters.query.strip()
        queryset = queryset.filter(
            Q(number__icontains=term)
            | Q(learner__real_name__icontains=term)
            | Q(learner__username__iexact=term)
            | Q(learner__volunteer_number__iexact=term)
        )
    if filters.issued_from:
        queryset = queryset.filter(issued_at__date__gte=filters.issued_from)
    if filters.issued_to:
        queryset = queryset.filter(issued_at__date__lte=filters.issued_to)
    return queryset.order_by("-issued_at", "-pk")


def bulk_jobs_for_user(*, user: User) -> QuerySet[BulkIssueJob]:
    return BulkIssueJob.objects.filter(definition__issuer__in=issuer_organizations(user=user)).select_related(
        "definition", "definition__issuer"
    )


def school_classes_for_issuer(*, user: User):
    from schools.models import SchoolClass

    return (
        SchoolClass.objects.filter(organization__in=issuer_organizations(user=user))
        .select_related("organization")
        .order_by("organization__name", "name")
    )


def learner_ids_of_class(*, school_class) -> list[int]:
    return list(school_class.students.values_list("user_id", flat=True))


def learner_ids_of_organization(*, organization: Organization) -> list[int]:
    """Students (roster) and learner members of the organisation."""
    from schools.models import StudentProfile

    students = set(StudentProfile.objects.filter(organization=organization).values_list("user_id", flat=True))
    members = set(
        organization.memberships.filter(role=Role.LEARNER).values_list("user_id", flat=True)  # type: ignore[attr-defined]
    )
    return sorted(students | members)


def learner_ids_who_completed(*, definition: CertificateDefinition) -> list[int]:
    from courses.models import CourseCompletion

    if definition.kind != CertificateKind.COURSE or definition.course_id is None:
        return []
    return list(
        CourseCompletion.objects.filter(course_id=definition.course_id).order_by("pk").values_list("user_id", flat=True)
    )


def users_by_identifier(*, identifiers: list[str]) -> tuple[dict[str, User], list[str]]:
    """Match volunteer numbers or usernames; returns (found by identifier, unknown identifiers)."""
    wanted = [identifier.strip() for identifier in identifiers if identifier.strip()]
    users = User.objects.filter(Q(volunteer_number__in=wanted) | Q(username__in=wanted)).only(
        "pk", "username", "volunteer_number", "real_name"
    )
    found: dict[str, User] = {}
    for user in users:
        for key in (user.volunteer_number, user.username):
            if key in wanted:
                found[key] = user
    return found, [identifier for identifier in wanted if identifier not in found]


@dataclass(frozen=True)
class BulkRecipientChoice:
    """Whom an issuer asked a bulk job to cover: named people, a class, all students, everyone who completed."""

    identifiers: list[str]
    school_class: object | None = None
    all_students: bool = False
    all_completers: bool = False


def bulk_issue_recipients(
    *, definition: CertificateDefinition, choice: BulkRecipientChoice
) -> tuple[list[int], list[str]]:
    """The learner ids a bulk job covers (in order, without repeats) and the identifiers that name nobody.

    When any identifier is unknown the ids are empty: the issuer corrects the list before anything is queued."""
    found, unknown = users_by_identifier(identifiers=choice.identifiers)
    if unknown:
        return [], unknown
    learner_ids = [user.pk for user in found.values()]
    if choice.school_class is not None:
        learner_ids += learner_ids_of_class(school_class=choice.school_class)
    if choice.all_students:
        learner_ids += learner_ids_of_organization(organization=definition.issuer)
    if choice.all_completers:
        learner_ids += learner_ids_who_completed(definition=definition)
    return list(dict.fromkeys(learner_ids)), []


def bulk_issue_parameters(
    *,
    definition: CertificateDefinition,
    school_year: str | None = None,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> dict:
    """The job parameters a definition's kind needs: the school year, or the service record's period."""
    if definition.kind == CertificateKind.SCHOOL_YEAR:
        return {"school_year": school_year}
    if definition.kind == CertificateKind.SERVICE_RECORD:
        return {
            "period_start": period_start.isoformat() if period_start else None,
            "period_end": (period_end or timezone.localdate()).isoformat(),
        }
    return {}


EXPORT_COLUMNS = [
    "number",
    "title",
    "holder",
    "volunteer_number",
    "issuer",
    "issued_on",
    "valid_until",
    "status",
    "revoked_at",
    "revocation_reason",
    "verify_url",
]


def certificate_export_rows(certificates: QuerySet[Certificate], *, verify_url) -> Iterator[list[object]]:
    """One row per certificate for the issuer's CSV: keyed by volunteer number, names as issued, no ID numbers."""
    for certificate in certificates.iterator(chunk_size=500):
        context = certificate.context
        yield [
            certificate.number,
            context.get("title", ""),
            context.get("holder_name", ""),
            context.get("volunteer_number", ""),
            context.get("issuer_name", ""),
            context.get("issued_on", ""),
            certificate.valid_until.isoformat() if certificate.valid_until else "",
            certificate.current_status(),
            timezone.localtime(certificate.revoked_at).isoformat() if certificate.revoked_at else "",
            certificate.revocation_reason,
            verify_url(certificate.verification_code),
        ]
