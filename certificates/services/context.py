"""What each kind of certificate says, computed once at issue and frozen into Certificate.context.

Each builder returns (source_key, context) or raises CertificateNotEarned with the reason the learner does not
qualify. Builders only read; certificate_issue writes.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from certificates.models import CertificateDefinition, CertificateKind
from content.models import CoursePage
from core.hours import DEFAULT_MINUTES_PER_HOUR, hours_text, hours_to_minutes
from core.school_years import is_school_year_name
from courses.models import CourseCompletion
from hours.models import HoursEntry, HoursKind, HoursStatus
from hours.selectors import verified_practice_minutes
from hours.stars import star_level_for_minutes
from schools.selectors.compliance import counted_kinds_for

# The service-record certificate lists at most this many activities; the totals always cover all of them.
SERVICE_RECORD_MAX_LINES = 30


class CertificateNotEarned(ValidationError):
    """The learner does not (yet) meet what this certificate certifies."""


def _hours(minutes: int, minutes_per_hour: int = DEFAULT_MINUTES_PER_HOUR) -> str:
    return hours_text(minutes, minutes_per_hour)


def _holder(learner: User) -> dict:
    has_id = bool(learner.resident_id)
    return {
        "holder_name": learner.display_name,
        "holder_masked_name": learner.masked_name,
        "volunteer_number": learner.volunteer_number,
        "id_type": "居民身份证" if has_id else "",
        "id_type_en": "Resident ID card" if has_id else "",
        "id_number_masked": learner.masked_resident_id,
    }


def _issuer(definition: CertificateDefinition) -> dict:
    issuer = definition.issuer
    return {
        "title": definition.title,
        "title_en": definition.title_en,
        "issuer_name": issuer.name,
        "issuer_name_en": issuer.name_en,
        "person_in_charge": definition.person_in_charge or issuer.person_in_charge,
        "handler_name": definition.handler_name,
        "handler_contact": definition.handler_contact or issuer.contact_phone,
        "issuer_address": issuer.address,
    }


def build_course(*, definition: CertificateDefinition, learner: User, source: dict) -> tuple[str, dict]:
    completion = (
        CourseCompletion.objects.select_related("course")
        .filter(pk=int(source.get("completion_id") or 0), user=learner)
        .first()
    )
    if completion is None:
        raise CertificateNotEarned(_("%(name)s has not completed this course.") % {"name": learner.display_name})
    course = completion.course
    if definition.course_id != course.pk:
        raise CertificateNotEarned(_("This completion is of another course than the certificate's."))
    completed_on = timezone.localdate(completion.completed_at)
    context = {
        **_issuer(definition),
        **_holder(learner),
        "certified": course.title,
        "certified_en": course.title_en,
        "credit_hours": _hours(completion.credit_minutes) if completion.credit_minutes else f"{course.credit_hours}",
        "completed_on": completed_on.isoformat(),
        "score_percent": str(completion.score_percent) if completion.score_percent is not None else "",
    }
    return f"course-completion:{completion.pk}", context


def build_curriculum(*, definition: CertificateDefinition, learner: User, source: dict) -> tuple[str, dict]:
    curriculum = definition.curriculum
    if curriculum is None:
        raise CertificateNotEarned(_("The certificate definition has no curriculum."))
    courses = list(CoursePage.objects.child_of(curriculum).live().order_by("path"))
    completions = {
        completion.course_id: completion
        for completion in CourseCompletion.objects.filter(user=learner, course__in=courses)
    }
    missing = [course.title for course in courses if course.pk not in completions]
    if not courses or missing:
        raise CertificateNotEarned(
            _("%(name)s has not completed every course of the curriculum (missing: %(missing)s).")
            % {"name": learner.display_name, "missing": "、".join(missing) or "—"}
        )
    last = max(completion.completed_at for completion in completions.values())
    context = {
        **_issuer(definition),
        **_holder(learner),
        "certified": curriculum.title,
        "certified_en": getattr(curriculum, "title_en", ""),
        "courses": [{"title": course.title, "credit_hours": f"{course.credit_hours}"} for course in courses],
        "credit_hours": f"{sum((course.credit_hours for course in courses), Decimal('0'))}",
        "completed_on": timezone.localdate(last).isoformat(),
    }
    return f"curriculum:{curriculum.pk}", context


def _parse_day(value, field: str) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as error:
        raise ValidationError({field: _("Not a date: %(value)s (use YYYY-MM-DD).") % {"value": value}}) from error


def _star_context(*, learner: User, until: datetime.date) -> dict:
    minutes = verified_practice_minutes(user=learner, until=until)
    star = star_level_for_minutes(minutes)
    return {"star_level": star.stars, "cumulative_service_hours": _hours(minutes)}


def build_service_record(*, definition: CertificateDefinition, learner: User, source: dict) -> tuple[str, dict]:
    """Only verified practice hours that the issuing organisation itself recorded (谁记录谁证明)."""
    period_start = _parse_day(source.get("period_start"), "period_start")
    period_end = _parse_day(source.get("period_end"), "period_end") or timezone.localdate()
    if period_start and period_start > period_end:
        raise ValidationError({"period_start": _("The period starts after it ends.")})
    entries = HoursEntry.objects.filter(
        user=learner,
        kind=HoursKind.PRACTICE,
        status=HoursStatus.VERIFIED,
        recorded_by_organization=definition.issuer,
        occurred_on__lte=period_end,
    )
    if period_start:
        entries = entries.filter(occurred_on__gte=period_start)
    total = entries.aggregate(total=Sum("minutes"))["total"] or 0
    if not total:
        raise CertificateNotEarned(
            _("%(name)s has no verified service hours recorded by %(issuer)s in this period.")
            % {"name": learner.display_name, "issuer": definition.issuer.name}
        )
    lines = [
        {"date": entry.occurred_on.isoformat(), "content": entry.description, "hours": _hours(entry.minutes)}
        for entry in entries.order_by("occurred_on", "pk")[:SERVICE_RECORD_MAX_LINES]
    ]
    count = entries.count()
    context = {
        **_issuer(definition),
        **_holder(learner),
        "period_start": period_start.isoformat() if period_start else "",
        "period_end": period_end.isoformat(),
        "service_minutes": total,
        "service_hours": _hours(total),
        "service_count": count,
        "service_lines": lines,
        "service_lines_omitted": max(0, count - len(lines)),
        # Star levels count all verified service, wherever recorded, up to the end of the period (docs/domain.md).
        **_star_context(learner=learner, until=period_end),
    }
    key = f"service-record:{period_start.isoformat() if period_start else 'all'}:{period_end.isoformat()}"
    return key, context


def build_school_year(*, definition: CertificateDefinition, learner: User, source: dict) -> tuple[str, dict]:
    school_year = str(source.get("school_year") or "")
    if not is_school_year_name(school_year):
        message = _("Not a school year: %(value)s (e.g. 2026-2027).") % {"value": school_year}
        raise ValidationError({"school_year": message})
    organization = definition.issuer
    totals = dict(
        HoursEntry.objects.filter(
            user=learner, school_year=school_year, status=HoursStatus.VERIFIED, credited_organization=organization
        )
        .values_list("kind")
        .annotate(total=Sum("minutes"))
        .values_list("kind", "total")
    )
    if not totals:
        raise CertificateNotEarned(
            _("%(name)s has no verified hours credited to %(issuer)s in %(year)s.")
            % {"name": learner.display_name, "issuer": organization.name, "year": school_year}
        )
    counted_kinds = counted_kinds_for(organization)
    per_hour = organization.minutes_per_hour
    counted = sum(minutes for kind, minutes in totals.items() if kind in counted_kinds)
    required = organization.required_hours
    context = {
        **_issuer(definition),
        **_holder(learner),
        "school_year": school_year,
        "minutes_per_hour": per_hour,
        "learning_hours": _hours(totals.get(HoursKind.LEARNING, 0), per_hour),
        "practice_hours": _hours(totals.get(HoursKind.PRACTICE, 0), per_hour),
        "counted_hours": _hours(counted, per_hour),
        "required_hours": f"{required}" if required is not None else "",
        "requirement_met": required is not None and counted >= hours_to_minutes(required, per_hour),
    }
    return f"school-year:{school_year}", context


BUILDERS: dict[str, Callable[..., tuple[str, dict]]] = {
    CertificateKind.COURSE: build_course,
    CertificateKind.CURRICULUM: build_curriculum,
    CertificateKind.SERVICE_RECORD: build_service_record,
    CertificateKind.SCHOOL_YEAR: build_school_year,
}


def build_context(*, definition: CertificateDefinition, learner: User, source: dict) -> tuple[str, dict]:
    return BUILDERS[definition.kind](definition=definition, learner=learner, source=source)
