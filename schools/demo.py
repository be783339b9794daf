"""Demo rosters and practice activities for the demo schools (idempotent: safe to run twice)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.constants import Role
from accounts.models import Organization, User
from accounts.services import membership_add
from core.school_years import current_school_year, school_year_bounds
from schools.models import ServiceActivity, StudentProfile
from schools.services.practice import ParticipantInput, service_activity_record, service_activity_verify
from schools.services.roster import activation_code_generate
from schools.services.students import school_class_create

# slug -> (coordinator username or None, [(class, grade, [(student number, name, birth date, demo username)])])
ROSTERS: dict[str, tuple[str | None, list[tuple[str, str, list[tuple[str, str, str, str | None]]]]]] = {
    "vocational-college": (
        "coordinator",
        [
            (
                "护理2401班",
                "2024级",
                [
                    ("2024010101", "李同学", "2006-09-01", "student"),
                    ("2024010102", "王芳", "2006-04-12", None),
                    ("2024010103", "刘洋", "2005-12-30", None),
                    ("2024010104", "陈静", "2006-07-08", None),
                ],
            ),
            (
                "机电2402班",
                "2024级",
                [
                    ("2024020101", "张伟", "2006-02-17", None),
                    ("2024020102", "杨磊", "2005-10-05", None),
                    ("2024020103", "黄敏", "2006-05-21", None),
                ],
            ),
        ],
    ),
    "no1-middle-school": (
        "coordinator2",
        [
            (
                "初一(1)班",
                "七年级",
                [
                    ("20260101", "赵小明", "2012-03-15", "pupil"),
                    ("20260102", "孙悦", "2013-01-09", None),
                    ("20260103", "周子涵", "2012-11-23", None),
                ],
            ),
            (
                "初二(3)班",
                "八年级",
                [
                    ("20250301", "吴浩然", "2011-06-02", None),
                    ("20250302", "郑雨桐", "2011-09-14", None),
                ],
            ),
        ],
    ),
    "experimental-primary": (
        None,
        [
            (
                "五年级(2)班",
                "五年级",
                [
                    ("2022050201", "冯一诺", "2015-04-18", None),
                    ("2022050202", "何思源", "2015-08-30", None),
                    ("2022050203", "许可馨", "2014-12-11", None),
                ],
            ),
        ],
    ),
}

# (organiser slug, title, content, place, days before today, start, end, participant numbers, verified)
ACTIVITIES = [
    (
        "vocational-college",
        "社区健康义诊志愿服务",
        "协助社区卫生服务中心开展血压测量、健康咨询和急救知识宣传。",
        "幸福社区卫生服务中心",
        40,
        (9, 0),
        (12, 0),
        ["2024010101", "2024010102", "2024010103"],
        True,
    ),
    (
        "vocational-college",
        "河道清洁与垃圾分类宣传",
        "沿河道捡拾垃圾，向居民宣传可回收物、有害垃圾、厨余垃圾和其他垃圾的分类方法。",
        "浑河滨河公园",
        20,
        (14, 0),
        (17, 0),
        ["2024010101", "2024020101", "2024020102"],
        False,
    ),
    (
        "no1-middle-school",
        "敬老院陪伴服务",
        "为老人读报、表演节目、打扫房间，在教师带领下开展陪伴服务。",
        "市第一社会福利院",
        30,
        (8, 30),
        (10, 0),
        ["20260101", "20260102", "20250301"],
        True,
    ),
]


def _day_in_year(days_before: int) -> datetime.date:
    today = timezone.localdate()
    first, _last = school_year_bounds(current_school_year())
    return max(first, today - datetime.timedelta(days=days_before))


def _student(organization: Organization, school_class, number: str, name: str, birth: str, username: str | None):
    profile = StudentProfile.objects.filter(organization=organization, student_number=number).first()
    if profile is not None:
        return profile
    user = User.objects.filter(username=username).first() if username else None
    if user is None:
        user = User.objects.filter(username=f"{organization.slug}-{number}").first()
    code = ""
    if user is None:
        user = User(username=f"{organization.slug}-{number}", real_name=name)
        user.date_of_birth = datetime.date.fromisoformat(birth)
        user.set_unusable_password()
        user.save()
        code = activation_code_generate()
    membership_add(user=user, organization=organization, role=Role.LEARNER)
    return StudentProfile.objects.create(
        user=user,
        organization=organization,
        student_number=number,
        grade=school_class.grade,
        school_class=school_class,
        activation_code=code,
        activated_at=timezone.now() if not code else None,
        guardian_consent_required=bool(user.is_minor),
    )


@transaction.atomic
def load() -> str:
    students = 0
    for slug, (_coordinator, classes) in ROSTERS.items():
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            continue
        for class_name, grade, rows in classes:
            school_class = school_class_create(organization=organization, name=class_name, grade=grade)
            for number, name, birth, username in rows:
                _student(organization, school_class, number, name, birth, username)
                students += 1
    activities = 0
    for slug, title, content, place, days, start, end, numbers, verified in ACTIVITIES:
        organization = Organization.objects.filter(slug=slug).first()
        recorder = User.objects.filter(username=ROSTERS[slug][0] or "").first()
        if organization is None or recorder is None:
            continue
        day = _day_in_year(days)
        activity = ServiceActivity.objects.filter(organizer=organization, title=title).first()
        if activity is None:
            profiles = StudentProfile.objects.filter(organization=organization, student_number__in=numbers)
            activity = service_activity_record(
                organizer=organization,
                recorded_by=recorder,
                title=title,
                content=content,
                place=place,
                occurred_on=day,
                school_year=current_school_year(),
                start_time=datetime.time(*start),
                end_time=datetime.time(*end),
                participants=[
                    ParticipantInput(user=profile.user, minutes=None, label=profile.student_number)
                    for profile in profiles.select_related("user")
                ],
            )
        if verified:
            service_activity_verify(activity=activity, verifier=recorder)
        activities += 1
    return f"{students} students in the demo schools, {activities} practice activities"
