"""Compliance with the yearly hours requirement, per school year, class and student, aggregated in SQL.

A student's hours for a school year are the verified ledger entries of that year, whichever organisation recorded
them; the school's policy says which kinds count. Status (docs/decisions/0006-compliance-status.md):

- met: counted minutes >= required minutes;
- at risk: the year is under way and the counted minutes are below the pro-rata share of the requirement for the
  part of the year elapsed (e.g. less than half the requirement by the end of February);
- not met: every other case, i.e. not yet met but on schedule, or the year is over without reaching it.

The report for one school year costs at most five queries however many students or entries there are.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Count,
    FilteredRelation,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from core.hours import hours_to_minutes, minutes_to_hours
from core.school_years import school_year_bounds
from hours.models import HoursEntry, HoursKind, HoursStatus
from schools.models import SchoolClass, SchoolPolicy, StudentProfile

MET = "met"
AT_RISK = "at_risk"
NOT_MET = "not_met"
STATUS_LABELS = {MET: _("Met"), AT_RISK: _("At risk"), NOT_MET: _("Not met")}
DEFAULT_COUNTED_KINDS = (HoursKind.LEARNING, HoursKind.PRACTICE)
KIND_FIELDS = {
    HoursKind.LEARNING: "learning_minutes",
    HoursKind.PRACTICE: "practice_minutes",
    HoursKind.TRAINING: "training_minutes",
}


@dataclass(frozen=True)
class ComplianceContext:
    organization: Organization
    school_year: str
    minutes_per_hour: int
    required_hours: Decimal
    required_minutes: int
    counted_kinds: tuple[str, ...]
    in_progress: bool
    elapsed_fraction: float
    expected_minutes: int  # the pro-rata share of the requirement by today; below it (and not met) is "at risk"

    def hours(self, minutes: int | None) -> Decimal:
        return minutes_to_hours(minutes, self.minutes_per_hour)

    @property
    def expected_hours(self) -> Decimal:
        return self.hours(self.expected_minutes)


def counted_kinds_for(organization: Organization | None) -> tuple[str, ...]:
    """The kinds of hours that count toward the school's requirement (its policy, else learning and practice): the
    compliance report, the school-year certificate and the learner's dashboard all count with this (one query)."""
    policy = SchoolPolicy.objects.filter(organization=organization).first() if organization is not None else None
    if policy is not None:
        return tuple(policy.counted_kinds)
    return tuple(str(kind) for kind in DEFAULT_COUNTED_KINDS)


def compliance_context(
    *, organization: Organization, school_year: str, today: datetime.date | None = None
) -> ComplianceContext:
    """The requirement in minutes and the year's progress (one query: the policy)."""
    today = today or timezone.localdate()
    first, last = school_year_bounds(school_year)
    counted = counted_kinds_for(organization)
    required_hours = organization.required_hours or Decimal(0)
    minutes_per_hour = organization.minutes_per_hour or 60
    required_minutes = hours_to_minutes(required_hours, minutes_per_hour)
    length = (last - first).days + 1
    elapsed = min(max((today - first).days + 1, 0), length)
    fraction = elapsed / length
    return ComplianceContext(
        organization=organization,
        school_year=school_year,
        minutes_per_hour=minutes_per_hour,
        required_hours=required_hours,
        required_minutes=required_minutes,
        counted_kinds=counted,
        in_progress=first <= today <= last,
        elapsed_fraction=fraction,
        expected_minutes=math.floor(required_minutes * fraction),
    )


def _status_expression(context: ComplianceContext) -> Case:
    whens = [When(counted_minutes__gte=context.required_minutes, then=Value(MET))]
    if context.in_progress:
        whens.append(When(counted_minutes__lt=context.expected_minutes, then=Value(AT_RISK)))
    return Case(*whens, default=Value(NOT_MET), output_field=CharField())


def _status_of(counted_minutes: int, context: ComplianceContext) -> str:
    """The same rule as _status_expression, for rows whose minutes were summed without the ORM's CASE."""
    if counted_minutes >= context.required_minutes:
        return MET
    if context.in_progress and counted_minutes < context.expected_minutes:
        return AT_RISK
    return NOT_MET


def _year_minutes_per_user(context: ComplianceContext, user_ids: QuerySet) -> QuerySet:
    """The year's verified minutes per kind of each of these users: the entries are grouped by user alone, before any
    join (NULL for a kind without entries; users without any entry have no row)."""
    sums = {name: Sum("minutes", filter=Q(kind=str(kind))) for kind, name in KIND_FIELDS.items()}
    return (
        HoursEntry.objects.filter(
            school_year=context.school_year,
            status=HoursStatus.VERIFIED,
            credited_organization=context.organization,
            user_id__in=user_ids,
        )
        .order_by()
        .values("user_id")
        .annotate(**sums)
    )


def _with_minutes(queryset: QuerySet, context: ComplianceContext) -> QuerySet:
    """One LEFT JOIN to the year's verified entries credited to the school, grouped per student: a single pass
    however many entries. Credited to the school: what its certificate and the learner's dashboard count too."""
    queryset = queryset.annotate(
        year_entries=FilteredRelation(
            "user__hours_entries",
            condition=Q(
                user__hours_entries__school_year=context.school_year,
                user__hours_entries__status=HoursStatus.VERIFIED,
                user__hours_entries__credited_organization=context.organization,
            ),
        )
    )
    sums = {
        name: Coalesce(Sum("year_entries__minutes", filter=Q(year_entries__kind=str(kind))), Value(0))
        for kind, name in KIND_FIELDS.items()
    }
    counted_kinds = [str(kind) for kind in KIND_FIELDS if str(kind) in context.counted_kinds]
    counted = Coalesce(Sum("year_entries__minutes", filter=Q(year_entries__kind__in=counted_kinds)), Value(0))
    queryset = queryset.annotate(**sums, counted_minutes=counted)
    return queryset.annotate(compliance_status=_status_expression(context))


def _students(
    *, context: ComplianceContext, school_class_id: int | str | None = None, search: str = ""
) -> QuerySet[StudentProfile]:
    """The organisation's students, filtered by class (an id or "none") and a search on number or name."""
    queryset = StudentProfile.objects.filter(organization=context.organization)
    if school_class_id == "none":
        queryset = queryset.filter(school_class__isnull=True)
    elif school_class_id:
        queryset = queryset.filter(school_class_id=int(school_class_id))
    search = (search or "").strip()
    if search:
        queryset = queryset.filter(
            Q(student_number__icontains=search) | Q(user__real_name__icontains=search) | Q(user__username=search)
        )
    return queryset


def compliance_students(
    *,
    context: ComplianceContext,
    school_class_id: int | str | None = None,
    status: str = "",
    search: str = "",
) -> QuerySet[StudentProfile]:
    """The organisation's students with learning/practice/training/counted minutes and status for the year."""
    queryset = (
        _students(context=context, school_class_id=school_class_id, search=search)
        .select_related("user", "school_class")
        # Only what reports show: at 5,000 students, reading whole user rows doubled the report's time (bench s4).
        .only(
            "student_number",
            "grade",
            "organization_id",
            "school_class__name",
            "user__username",
            "user__real_name",
            "user__volunteer_number",
            "user__date_of_birth",
            "guardian_consent_required",
        )
    )
    queryset = _with_minutes(queryset, context)
    if status in STATUS_LABELS:
        queryset = queryset.filter(compliance_status=status)  # type: ignore[misc]  # annotated by _with_minutes
    return queryset.order_by("school_class__name", "student_number")


@dataclass
class ClassSummary:
    school_class_id: int | None
    name: str
    total: int
    met: int
    at_risk: int
    not_met: int

    @property
    def not_met_total(self) -> int:
        return self.at_risk + self.not_met

    def percent(self, count: int) -> float:
        return round(100 * count / self.total, 1) if self.total else 0.0

    @property
    def met_percent(self) -> float:
        return self.percent(self.met)

    @property
    def at_risk_percent(self) -> float:
        return self.percent(self.at_risk)

    @property
    def not_met_percent(self) -> float:
        return self.percent(self.not_met)


def compliance_class_summary(
    *, context: ComplianceContext, school_classes: list[SchoolClass] | None = None
) -> list[ClassSummary]:
    """Per class: how many students met, are at risk, have not met (one query over the grouped student rows)."""
    if school_classes is None:
        school_classes = list(SchoolClass.objects.filter(organization=context.organization))
    keys: list[tuple[str, int | None, str]] = [
        (f"c{school_class.pk}", school_class.pk, school_class.name) for school_class in school_classes
    ]
    keys.append(("none", None, str(_("No class"))))
    aggregates = {}
    for key, class_id, _name in keys:
        in_class = Q(school_class_id=class_id) if class_id is not None else Q(school_class_id__isnull=True)
        aggregates[f"{key}_total"] = Count("pk", filter=in_class)
        for status in (MET, AT_RISK, NOT_MET):
            aggregates[f"{key}_{status}"] = Count("pk", filter=in_class & Q(compliance_status=status))
    queryset = _with_minutes(StudentProfile.objects.filter(organization=context.organization), context)
    # Django runs this as an aggregate over the grouped per-student query (a subquery), in one statement.
    counts = queryset.aggregate(**aggregates)
    summaries = [
        ClassSummary(
            school_class_id=class_id,
            name=name,
            total=counts[f"{key}_total"] or 0,
            met=counts[f"{key}_{MET}"] or 0,
            at_risk=counts[f"{key}_{AT_RISK}"] or 0,
            not_met=counts[f"{key}_{NOT_MET}"] or 0,
        )
        for key, class_id, name in keys
    ]
    return [summary for summary in summaries if summary.total or summary.school_class_id is not None]


@dataclass
class ComplianceReport:
    context: ComplianceContext
    classes: list[ClassSummary]
    school_classes: list[SchoolClass]
    page: Page
    filters: dict[str, str] = field(default_factory=dict)

    @property
    def totals(self) -> ClassSummary:
        return ClassSummary(
            school_class_id=None,
            name=str(_("All classes")),
            total=sum(row.total for row in self.classes),
            met=sum(row.met for row in self.classes),
            at_risk=sum(row.at_risk for row in self.classes),
            not_met=sum(row.not_met for row in self.classes),
        )


def compliance_report(
    *,
    organization: Organization,
    school_year: str,
    school_class_id: str = "",
    status: str = "",
    search: str = "",
    page_number: int | str = 1,
    page_size: int = 100,
    today: datetime.date | None = None,
) -> ComplianceReport:
    """Everything the report page shows, in at most five queries (policy, summary, classes, count, page)."""
    context = compliance_context(organization=organization, school_year=school_year, today=today)
    school_classes = list(SchoolClass.objects.filter(organization=organization))
    classes = compliance_class_summary(context=context, school_classes=school_classes)
    students = compliance_students(context=context, school_class_id=school_class_id, status=status, search=search)
    page = Paginator(students, page_size).get_page(page_number)
    list(page.object_list)
    return ComplianceReport(
        context=context,
        classes=classes,
        school_classes=school_classes,
        page=page,
        filters={"school_class": school_class_id, "status": status, "q": search},
    )


EXPORT_HEADER = [
    _("Student number"),
    _("Volunteer number"),
    _("Name"),
    _("Class"),
    _("Grade"),
    _("Required 学时"),
    _("Learning 学时"),
    _("Practice 学时"),
    _("Other training 学时"),
    _("Counted 学时"),
    _("Status"),
]


def compliance_export_rows(
    *, context: ComplianceContext, school_class_id: int | str | None = None, status: str = "", search: str = ""
) -> Iterator[list[object]]:
    """Rows for the CSV/XLSX export: compliance_students' figures and order, in one query that sums the year's entries
    per user first and joins the students to those sums. No model objects: the result's plain tuples (about 100 bytes
    a student) become rows as the export consumes them (the full report for 5,000 students is bench scenario 4)."""
    students = _students(context=context, school_class_id=school_class_id, search=search)
    columns = students.order_by().values_list(
        "user_id", "student_number", "user__volunteer_number", "user__real_name", "school_class__name", "grade"
    )
    minutes = _year_minutes_per_user(context, students.values("user_id"))
    connection = connections[students.db]
    students_sql, students_params = columns.query.get_compiler(connection=connection).as_sql()
    minutes_sql, minutes_params = minutes.query.get_compiler(connection=connection).as_sql()
    # The ORM cannot LEFT JOIN a grouped subquery, hence one statement put together from the two compiled queries
    # (only compiled SQL and constant column names go in; values stay parameters). Grouping the joined student rows
    # instead, as _with_minutes does, took about 1.7x this statement's time at 5,000 students and 200,000 entries on
    # PostgreSQL (bench s4). Ordered as compliance_students: class name, then student number.
    sums = ", ".join(f"year_minutes.{name}" for name in KIND_FIELDS.values())
    sql = (
        f"SELECT student.*, {sums} FROM ({students_sql}) student LEFT JOIN ({minutes_sql}) year_minutes "  # noqa: S608
        "ON year_minutes.user_id = student.user_id ORDER BY 5, 2"
    )
    counts_learning, counts_practice, counts_training = (str(kind) in context.counted_kinds for kind in KIND_FIELDS)
    required = float(context.required_hours)
    per_hour = context.minutes_per_hour

    def hours(minutes: int) -> float:
        return float(minutes_to_hours(minutes, per_hour))  # numbers, not text, in the spreadsheet

    labels = {key: str(label) for key, label in STATUS_LABELS.items()}
    wanted = status if status in STATUS_LABELS else ""
    # A plain cursor: the statement aggregates and sorts everything before its first row anyway, and a server-side
    # cursor (materialised on the server, then fetched in round trips) cost about 10% more at 5,000 students.
    with connection.cursor() as cursor:
        cursor.execute(sql, [*students_params, *minutes_params])
        while chunk := cursor.fetchmany(1000):
            for _user_id, number, volunteer, name, class_name, grade, learning, practice, training in chunk:
                learning, practice, training = learning or 0, practice or 0, training or 0
                counted = (
                    (learning if counts_learning else 0)
                    + (practice if counts_practice else 0)
                    + (training if counts_training else 0)
                )
                row_status = _status_of(counted, context)
                if wanted and row_status != wanted:
                    continue
                yield [
                    number,
                    volunteer,
                    name,
                    class_name or "",
                    grade,
                    required,
                    hours(learning),
                    hours(practice),
                    hours(training),
                    hours(counted),
                    labels[row_status],
                ]


def student_compliance(*, profile: StudentProfile, school_year: str, today: datetime.date | None = None) -> dict:
    """One student's figures for one year (a student's own page and the coordinator's student record)."""
    context = compliance_context(organization=profile.organization, school_year=school_year, today=today)
    row = compliance_students(context=context).filter(pk=profile.pk).first()
    entries = list(
        HoursEntry.objects.filter(user_id=profile.user_id, school_year=school_year).order_by("-occurred_on", "-pk")
    )
    return {"context": context, "row": row, "entries": entries}


def students_not_meeting(*, organization: Organization, school_year: str, today: datetime.date | None = None):
    """The students below the requirement (at risk or not met), for the reminder e-mail."""
    context = compliance_context(organization=organization, school_year=school_year, today=today)
    students = compliance_students(context=context)
    return context, students.exclude(compliance_status=MET)  # type: ignore[misc]  # annotated
