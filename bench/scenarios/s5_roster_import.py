"""Scenario 5: importing a 5,000-row roster against bulk_create of the same rows; then importing it again."""

from __future__ import annotations

import csv
import io
import time

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from guardian.models import UserObjectPermission

from accounts.constants import OrganizationKind, Role
from accounts.models import Membership, Organization, User, generate_volunteer_number
from bench import data
from bench.results_table import Result
from schools.models import SchoolClass, StudentProfile
from schools.services.roster import activation_code_generate, roster_file_import

TITLE = "5 roster import"
HEADER = ["学号", "姓名", "班级", "年级", "出生日期", "手机号", "监护人姓名", "监护人手机号"]


def _college(slug: str) -> Organization:
    college = data.organization(kind=OrganizationKind.COLLEGE, slug=slug, name=f"基准学院{slug}")
    SchoolClass.objects.bulk_create(
        [SchoolClass(organization=college, name=f"护理{index}班", grade="一年级") for index in range(20)]
    )
    return college


def _roster(rows: int, phone_offset: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for index in range(rows):
        writer.writerow(
            [
                f"2026{index:06d}",
                f"学生{index}",
                f"护理{index % 20}班",
                "一年级",
                f"{2006 + index % 4}-0{1 + index % 9}-1{index % 10}",
                f"139{phone_offset + index:08d}",
                f"家长{index}",
                f"138{phone_offset + index:08d}",
            ]
        )
    return out.getvalue().encode("utf-8")


def _bulk(college: Organization, roster: bytes) -> int:
    """What the import writes, with bulk_create: users, learner memberships, their object permission, records."""
    rows = list(csv.reader(io.StringIO(roster.decode("utf-8"))))[1:]
    classes = {school_class.name: school_class for school_class in SchoolClass.objects.filter(organization=college)}
    permission = data.view_permission()
    content_type = ContentType.objects.get_for_model(Organization)
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(
                    username=f"{college.slug}-{row[0]}",
                    real_name=row[1],
                    phone=row[5],
                    date_of_birth=row[4],
                    guardian_name=row[6],
                    guardian_phone=row[7],
                    volunteer_number=generate_volunteer_number(),
                    password="!",
                )
                for row in rows
            ],
            batch_size=data.BATCH,
        )
        if users and users[0].pk is None:
            users = list(User.objects.filter(username__startswith=f"{college.slug}-").order_by("pk"))
        Membership.objects.bulk_create(
            [Membership(user=user, organization=college, role=Role.LEARNER) for user in users], batch_size=data.BATCH
        )
        UserObjectPermission.objects.bulk_create(
            [
                UserObjectPermission(
                    user=user, permission=permission, content_type=content_type, object_pk=str(college.pk)
                )
                for user in users
            ],
            batch_size=data.BATCH,
        )
        StudentProfile.objects.bulk_create(
            [
                StudentProfile(
                    user=user,
                    organization=college,
                    student_number=row[0],
                    grade=row[3],
                    school_class=classes[row[2]],
                    activation_code=activation_code_generate(),
                )
                for user, row in zip(users, rows, strict=True)
            ],
            batch_size=data.BATCH,
        )
    return len(users)


def run(quick: bool) -> tuple[list[Result], list[str]]:
    rows = data.scale(5_000, quick)
    ours_college, bulk_college = _college("bench-roster-ours"), _college("bench-roster-bulk")
    ours_file, bulk_file = _roster(rows, 0), _roster(rows, 50_000_000)

    start = time.perf_counter()
    roster_import, validation = roster_file_import(organization=ours_college, data=ours_file, file_name="roster.csv")
    ours = time.perf_counter() - start
    if validation.error_rows or roster_import.created_count != rows:
        raise AssertionError(f"the import did not create every row: {validation.error_report()[:3]}")

    start = time.perf_counter()
    created = _bulk(bulk_college, bulk_file)
    bulk = time.perf_counter() - start
    if created != rows or StudentProfile.objects.filter(organization=bulk_college).count() != rows:
        raise AssertionError("bulk_create did not write every row")

    start = time.perf_counter()
    again, _validation = roster_file_import(organization=ours_college, data=ours_file, file_name="roster.csv")
    reimport = time.perf_counter() - start
    if again.created_count != 0 or StudentProfile.objects.filter(organization=ours_college).count() != rows:
        raise AssertionError("re-importing the same roster added students")
    same_rows = {
        "users": User.objects.filter(student_profiles__organization=ours_college).count(),
        "memberships": Membership.objects.filter(organization=ours_college).count(),
    }
    return [
        Result(TITLE, f"import {rows:,} rows", ours, bulk, "s", "<= 2.0x", "one run each (single sample)"),
        Result(TITLE, "re-import (adds nothing)", reimport, ours, "s", "info", "baseline column: the first import"),
    ], [
        f"scenario 5: roster_file_import() of a {rows:,}-row CSV (validate, preview, confirm) against bulk_create of "
        f"the same users, memberships, object permissions and student records; {same_rows}; re-import created 0"
    ]
