"""The demo organisations and users (idempotent). Each app's demo module adds its own rows on top."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from accounts.constants import OrganizationKind, Role, SkillArea
from accounts.models import Organization, User
from accounts.services import membership_add, organization_ensure

DEMO_PASSWORD = "Demo@2026"  # noqa: S105 - printed for the demo; never used outside load_demo

ORGANIZATIONS: list[dict] = [
    {
        "slug": "city-office",
        "name": "市志愿服务工作办公室",
        "name_en": "City Volunteer Service Office",
        "kind": OrganizationKind.CITY_OFFICE,
        "parent": None,
    },
    {
        "slug": "volunteer-college",
        "name": "市志愿服务培训学院",
        "name_en": "City Volunteer Service Training College",
        "kind": OrganizationKind.TRAINING_BASE,
        "parent": "city-office",
    },
    {
        "slug": "party-school",
        "name": "中共市委党校志愿服务培训基地",
        "name_en": "Municipal Party School Volunteer Training Base",
        "kind": OrganizationKind.TRAINING_BASE,
        "parent": "city-office",
    },
    {
        "slug": "vocational-base",
        "name": "市职业技术学院志愿服务培训基地",
        "name_en": "Vocational College Volunteer Training Base",
        "kind": OrganizationKind.TRAINING_BASE,
        "parent": "city-office",
    },
    {
        "slug": "technician-base",
        "name": "市技师学院志愿服务培训基地",
        "name_en": "Technician College Volunteer Training Base",
        "kind": OrganizationKind.TRAINING_BASE,
        "parent": "city-office",
    },
    {
        "slug": "vocational-college",
        "name": "市职业技术学院",
        "name_en": "City Vocational and Technical College",
        "kind": OrganizationKind.COLLEGE,
        "parent": "city-office",
    },
    {
        "slug": "no1-middle-school",
        "name": "市第一中学",
        "name_en": "City No. 1 Middle School",
        "kind": OrganizationKind.SCHOOL,
        "parent": "city-office",
    },
    {
        "slug": "experimental-primary",
        "name": "市实验小学",
        "name_en": "City Experimental Primary School",
        "kind": OrganizationKind.SCHOOL,
        "parent": "city-office",
        "minutes_per_hour": 45,
    },
    {
        "slug": "team-medical",
        "name": "市医疗急救志愿服务队",
        "name_en": "Medical First-Aid Volunteer Team",
        "kind": OrganizationKind.TEAM,
        "parent": "city-office",
        "skill_area": SkillArea.FIRST_AID,
    },
    {
        "slug": "team-fire",
        "name": "市消防安全志愿服务队",
        "name_en": "Fire Safety Volunteer Team",
        "kind": OrganizationKind.TEAM,
        "parent": "city-office",
        "skill_area": SkillArea.FIRE,
    },
    {
        "slug": "team-environment",
        "name": "市环境保护志愿服务队",
        "name_en": "Environmental Volunteer Team",
        "kind": OrganizationKind.TEAM,
        "parent": "city-office",
        "skill_area": SkillArea.ENVIRONMENT,
    },
    {
        "slug": "team-legal-aid",
        "name": "市法律援助志愿服务队",
        "name_en": "Legal Aid Volunteer Team",
        "kind": OrganizationKind.TEAM,
        "parent": "city-office",
        "skill_area": SkillArea.LEGAL_AID,
    },
    {
        "slug": "team-traffic",
        "name": "市交通安全文明劝导志愿服务队",
        "name_en": "Traffic Safety Volunteer Team",
        "kind": OrganizationKind.TEAM,
        "parent": "city-office",
        "skill_area": SkillArea.TRAFFIC,
    },
    {
        "slug": "team-social",
        "name": "市社会救助与关爱志愿服务队",
        "name_en": "Social Assistance Volunteer Team",
        "kind": OrganizationKind.TEAM,
        "parent": "city-office",
        "skill_area": SkillArea.SOCIAL_ASSISTANCE,
    },
    {
        "slug": "team-blue-sky",
        "name": "蓝天救援队",
        "name_en": "Blue Sky Rescue Team",
        "kind": OrganizationKind.TEAM,
        "parent": "city-office",
        "skill_area": SkillArea.SEARCH_RESCUE,
    },
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    real_name: str
    description: str
    memberships: tuple[tuple[str, str], ...] = ()
    date_of_birth: datetime.date | None = None
    superuser: bool = False
    phone: str | None = None


USERS: list[DemoUser] = [
    DemoUser("admin", "系统管理员", "superuser: everything, /cms/", superuser=True),
    DemoUser(
        "moderator", "王主任", "city office administrator; approves content (moderator)", (("city-office", Role.ADMIN),)
    ),
    DemoUser("volunteer", "张志愿", "an adult volunteer", date_of_birth=datetime.date(1995, 5, 4), phone="13800138000"),
    DemoUser(
        "student",
        "李同学",
        "a student of the vocational college (8 学时 a year)",
        (("vocational-college", Role.LEARNER),),
        date_of_birth=datetime.date(2006, 9, 1),
    ),
    DemoUser(
        "pupil",
        "赵小明",
        "a pupil of No. 1 Middle School (2 学时 a year), minor with guardian consent",
        (("no1-middle-school", Role.LEARNER),),
        date_of_birth=datetime.date(2012, 3, 15),
    ),
    DemoUser(
        "coordinator", "陈老师", "coordinator of the vocational college", (("vocational-college", Role.COORDINATOR),)
    ),
    DemoUser(
        "coordinator2", "刘老师", "coordinator of No. 1 Middle School", (("no1-middle-school", Role.COORDINATOR),)
    ),
    DemoUser(
        "editor",
        "周编辑",
        "editor of the City Volunteer Service Training College",
        (("volunteer-college", Role.EDITOR),),
    ),
    DemoUser("editor2", "吴编辑", "editor of the Party School training base", (("party-school", Role.EDITOR),)),
    DemoUser(
        "assessor",
        "孙医生",
        "assessor of practical skills at the training college",
        (("volunteer-college", Role.ASSESSOR),),
    ),
    DemoUser("teamleader", "郑队长", "leader of the medical first-aid team", (("team-medical", Role.TEAM_LEADER),)),
]


@transaction.atomic
def load_organizations() -> dict[str, Organization]:
    organizations: dict[str, Organization] = {}
    for spec in ORGANIZATIONS:
        fields = dict(spec)
        slug = fields.pop("slug")
        parent_slug = fields.pop("parent")
        fields["parent"] = organizations.get(parent_slug) if parent_slug else None
        organizations[slug] = organization_ensure(slug=slug, **fields)
    return organizations


@transaction.atomic
def load_users(organizations: dict[str, Organization]) -> list[DemoUser]:
    for spec in USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User(username=spec.username)
            user.set_password(DEMO_PASSWORD)
        user.real_name = spec.real_name
        user.date_of_birth = spec.date_of_birth
        user.phone = spec.phone
        user.is_superuser = user.is_staff = spec.superuser
        if spec.date_of_birth and user.age_on(datetime.date.today()) is not None and user.is_minor:
            user.guardian_consent = True
            user.guardian_name = "赵建国"
            user.guardian_phone = "13900139000"
        user.save()
        for slug, role in spec.memberships:
            membership_add(user=user, organization=organizations[slug], role=role)
    return USERS
