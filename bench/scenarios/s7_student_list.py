"""Scenario 7: the coordinator's student list (permission-checked) against the same list by a plain filter."""

from __future__ import annotations

from django.test import Client

from accounts.permissions import organizations_for_user
from bench import data
from bench.results_table import Result
from bench.scenarios import get_ok, queries_of
from bench.stats import interleaved
from schools.models import StudentProfile

TITLE = "7 student list"


def run(quick: bool) -> tuple[list[Result], list[str]]:
    world = data.school_world(quick=quick)
    college, coordinator = world.college, world.coordinator
    client = Client()
    client.force_login(coordinator)
    ours = get_ok(client, f"/school/{college.slug}/students/")
    plain = get_ok(client, f"/bench/plain-students/{college.slug}/")
    first_number = StudentProfile.objects.filter(organization=college).order_by("school_class__name", "student_number")
    expected = first_number.first().student_number  # type: ignore[union-attr]
    for fetch in (ours, plain):
        if expected not in fetch().content.decode():  # type: ignore[attr-defined]
            raise AssertionError("the student list does not show the first student")

    def permitted_queryset() -> list:
        organizations = organizations_for_user(coordinator, "manage_students")
        students = StudentProfile.objects.filter(organization__in=organizations).select_related("user", "school_class")
        return list(students.order_by("school_class__name", "student_number")[:100])

    def plain_queryset() -> list:
        students = StudentProfile.objects.filter(organization=college).select_related("user", "school_class")
        return list(students.order_by("school_class__name", "student_number")[:100])

    if [s.pk for s in permitted_queryset()] != [s.pk for s in plain_queryset()]:
        raise AssertionError("the permission-filtered list differs from the plain one")
    repeat = 200 if not quick else 30
    pages = interleaved({"ours": ours, "plain": plain}, repeat=repeat, warmup=5)
    querysets = interleaved({"ours": permitted_queryset, "plain": plain_queryset}, repeat=repeat, warmup=5)
    ours_queries, plain_queries = queries_of(ours), queries_of(plain)
    scale_note = f"{world.users:,} users, {len(world.student_user_ids):,} students, first page of 100"
    return [
        Result(TITLE, "page, median", pages["ours"].median, pages["plain"].median, "s", "<= 2.0x", scale_note),
        Result(TITLE, "page, p95", pages["ours"].p95, pages["plain"].p95, "s", "info"),
        Result(TITLE, "page, queries", ours_queries, plain_queries, "", "info"),
        Result(
            TITLE,
            "organizations_for_user() filter, median",
            querysets["ours"].median,
            querysets["plain"].median,
            "s",
            "<= 2.0x",
            "guardian-filtered queryset vs filter(organization=...)",
        ),
    ], [
        f"scenario 7: {scale_note}; the page is /school/<slug>/students/ (organisation checked with user_can) against "
        "a bench-only view rendering the same template without the check; the second row filters the students by "
        "organizations_for_user(coordinator, 'manage_students') (guardian's table holds a row per member)"
    ]
