"""Scenario 4: the compliance figures of every student of a college, against hand-written SQL and a naive loop."""

from __future__ import annotations

import datetime
import time

from django.db import connection

from bench import data
from bench.results_table import Result
from bench.scenarios import queries_of
from bench.stats import interleaved
from hours.models import HoursEntry, HoursStatus
from schools.models import StudentProfile
from schools.selectors.compliance import (
    AT_RISK,
    MET,
    NOT_MET,
    compliance_context,
    compliance_export_rows,
    compliance_report,
    compliance_students,
)

TITLE = "4 compliance report"
TODAY = datetime.date(2027, 3, 1)  # inside the school year, so "at risk" is computed too

SQL = """
SELECT sp.id, sp.student_number, u.real_name, sc.name,
       COALESCE(SUM(CASE WHEN h.kind = 'learning' THEN h.minutes END), 0) AS learning,
       COALESCE(SUM(CASE WHEN h.kind = 'practice' THEN h.minutes END), 0) AS practice,
       COALESCE(SUM(CASE WHEN h.kind = 'training' THEN h.minutes END), 0) AS training,
       COALESCE(SUM(CASE WHEN h.kind IN ({counted}) THEN h.minutes END), 0) AS counted
FROM courses_studentprofile sp
JOIN accounts_user u ON u.id = sp.user_id
LEFT JOIN courses_schoolclass sc ON sc.id = sp.school_class_id
LEFT JOIN courses_hoursentry h ON h.user_id = sp.user_id AND h.school_year = %s AND h.status = %s
WHERE sp.organization_id = %s
GROUP BY sp.id, sp.student_number, u.real_name, sc.name
ORDER BY sc.name, sp.student_number
"""


def _status(counted: int, context) -> str:
    if counted >= context.required_minutes:
        return MET
    if context.in_progress and counted < context.expected_minutes:
        return AT_RISK
    return NOT_MET


def run(quick: bool) -> tuple[list[Result], list[str]]:
    world = data.school_world(quick=quick)
    college = world.college
    context = compliance_context(organization=college, school_year=data.SCHOOL_YEAR, today=TODAY)
    counted = ", ".join(f"'{kind}'" for kind in context.counted_kinds)
    sql = SQL.format(counted=counted)

    def orm_objects() -> list[tuple]:
        return [
            (s.pk, s.learning_minutes, s.practice_minutes, s.training_minutes, s.counted_minutes, s.compliance_status)
            for s in compliance_students(context=context)
        ]

    def ours() -> list[list]:
        # The full report as the export reads it: every student's row, hours and status.
        return list(compliance_export_rows(context=context))

    def hand_written() -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, [data.SCHOOL_YEAR, HoursStatus.VERIFIED, college.pk])
            return [(row[0], row[4], row[5], row[6], row[7], _status(row[7], context)) for row in cursor.fetchall()]

    students = list(StudentProfile.objects.filter(organization=college).order_by("pk").values_list("pk", "user_id"))

    def naive(sample: list[tuple[int, int]]) -> list[tuple]:
        rows = []
        for profile_id, user_id in sample:
            sums = {"learning": 0, "practice": 0, "training": 0}
            for entry in HoursEntry.objects.filter(
                user_id=user_id, school_year=data.SCHOOL_YEAR, status=HoursStatus.VERIFIED
            ):
                sums[entry.kind] += entry.minutes
            total = sum(value for kind, value in sums.items() if kind in context.counted_kinds)
            rows.append((profile_id, sums["learning"], sums["practice"], sums["training"], total))
        return rows

    expected = sorted(hand_written())
    if sorted(orm_objects()) != expected:
        raise AssertionError("the compliance selector and the hand-written SQL disagree")
    if len(ours()) != len(expected):
        raise AssertionError("the export rows and the hand-written SQL disagree on the number of students")
    if len(expected) != len(students):
        raise AssertionError("not every student is in the report")
    sample = students[: min(len(students), 250 if not quick else 100)]
    naive_rows = naive(sample)
    by_id = {row[0]: row[:5] for row in expected}
    if any(by_id[row[0]] != row for row in naive_rows):
        raise AssertionError("the naive loop disagrees with the report")

    repeat = 15 if not quick else 5
    timings = interleaved({"ours": ours, "sql": hand_written, "orm": orm_objects}, repeat=repeat, warmup=1)
    naive_samples = []
    for _ in range(3 if not quick else 1):
        start = time.perf_counter()
        naive(sample)
        naive_samples.append(time.perf_counter() - start)
    naive_sample_time = sorted(naive_samples)[len(naive_samples) // 2]
    naive_full = naive_sample_time * len(students) / len(sample)
    report_queries = queries_of(
        lambda: compliance_report(organization=college, school_year=data.SCHOOL_YEAR, today=TODAY)
    )
    report = interleaved(
        {"page": lambda: compliance_report(organization=college, school_year=data.SCHOOL_YEAR, today=TODAY)},
        repeat=repeat,
        warmup=1,
    )["page"]
    scale_note = f"{len(students):,} students, {world.entries:,} hours entries, {world.users:,} users"
    extrapolated = len(sample) < len(students)
    return [
        Result(
            TITLE, "all students, median", timings["ours"].median, timings["sql"].median, "s", "<= 1.5x", scale_note
        ),
        Result(TITLE, "all students, p95", timings["ours"].p95, timings["sql"].p95, "s", "info"),
        Result(
            TITLE,
            "all students as model objects (page path)",
            timings["orm"].median,
            timings["sql"].median,
            "s",
            "info",
            "what a page would pay to build 5,000 StudentProfile objects; pages show 100 rows",
        ),
        Result(
            TITLE,
            "naive loop / ours",
            naive_full,
            timings["ours"].median,
            "s",
            ">= 50x",
            f"naive loop timed on {len(sample)} students{' and extrapolated' if extrapolated else ''}",
        ),
        Result(
            TITLE, "report page (summary + 100 rows)", report.median, None, "s", "info", f"{report_queries} queries"
        ),
    ], [
        f"scenario 4: {scale_note}; ours = the full report's rows as the export reads them "
        "(compliance_export_rows); the hand-written SQL is one GROUP BY "
        f"returning the same per-student minutes and status (checked equal); the naive loop reads each student's "
        f"entries with one query per student"
        + (
            f" and was timed on {len(sample)} of {len(students)} students, then extrapolated linearly"
            if extrapolated
            else ""
        )
        + f"; the report page (class summary + first 100 rows) costs {report_queries} queries"
    ]
