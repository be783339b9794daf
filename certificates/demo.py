"""Demo certificate definitions: one per demo course that earns a certificate (issued by its training base), a
certificate per demo curriculum, and the service-record and school-year certificates of the demo schools.
Idempotent: needs the demo organisations and curriculum (lms/demo.py, content/demo.py) loaded first."""

from __future__ import annotations

from django.db import transaction

from content.models import CoursePage, CurriculumPage, TrainingBasePage
from lms.accounts.constants import OrganizationKind
from lms.accounts.models import Organization

from .models import CertificateDefinition, CertificateKind

PERSON_IN_CHARGE = {
    "volunteer-college": ("刘院长", "周老师", "024-52001234"),
    "party-school": ("孙校长", "吴老师", "024-52005678"),
    "vocational-college": ("马校长", "陈老师", "024-52003456"),
    "no1-middle-school": ("黄校长", "刘老师", "024-52007890"),
    "experimental-primary": ("林校长", "何老师", "024-52002468"),
}
PREFIXES = {
    "volunteer-college": "ZYXY",
    "party-school": "DXJD",
    "vocational-college": "ZYJS",
    "no1-middle-school": "YZ",
    "experimental-primary": "SYXX",
}


def _signatories(organization: Organization) -> dict:
    person, handler, contact = PERSON_IN_CHARGE.get(organization.slug, ("", "", organization.contact_phone))
    return {"person_in_charge": person, "handler_name": handler, "handler_contact": contact}


def _ensure(*, lookup: dict, defaults: dict) -> tuple[CertificateDefinition, bool]:
    definition = CertificateDefinition.objects.filter(**lookup, is_active=True).first()
    if definition is not None:
        return definition, False
    return CertificateDefinition.objects.create(**lookup, **defaults), True


@transaction.atomic
def load() -> dict[str, int]:
    created = 0
    for base in TrainingBasePage.objects.live().select_related("organization"):
        issuer = base.organization
        if issuer is None:
            continue
        prefix = PREFIXES.get(issuer.slug, "ZYPX")
        for curriculum in CurriculumPage.objects.child_of(base).live():
            _definition, was_created = _ensure(
                lookup={"kind": CertificateKind.CURRICULUM, "curriculum": curriculum},
                defaults={
                    "title": f"{curriculum.title}结业证书",
                    "title_en": f"{curriculum.title_en or curriculum.title}: certificate of completion",
                    "issuer": issuer,
                    "number_prefix": prefix + "JY",
                    **_signatories(issuer),
                },
            )
            created += was_created
            for course in CoursePage.objects.child_of(curriculum).live().filter(earns_certificate=True):
                _definition, was_created = _ensure(
                    lookup={"kind": CertificateKind.COURSE, "course": course},
                    defaults={
                        "title": "志愿服务培训合格证书",
                        "title_en": "Volunteer Training Certificate",
                        "issuer": issuer,
                        "number_prefix": prefix,
                        "validity_months": 36 if course.skill_area == "first_aid" else None,
                        **_signatories(issuer),
                    },
                )
                created += was_created
    for school in Organization.objects.filter(kind__in=[OrganizationKind.COLLEGE, OrganizationKind.SCHOOL]):
        prefix = PREFIXES.get(school.slug, "XX")
        for kind, title, title_en, suffix in (
            (CertificateKind.SERVICE_RECORD, "志愿服务记录证明", "Volunteer Service Record", "JL"),
            (CertificateKind.SCHOOL_YEAR, "学年志愿服务学时证明", "School-Year Volunteer Hours Certificate", "XN"),
        ):
            _definition, was_created = _ensure(
                lookup={"kind": kind, "issuer": school},
                defaults={
                    "title": title,
                    "title_en": title_en,
                    "number_prefix": prefix + suffix,
                    **_signatories(school),
                },
            )
            created += was_created
    return {"definitions": CertificateDefinition.objects.filter(is_active=True).count(), "created": created}


# Badges and teams (issue 8): one badge per specialist course, each team requiring the badge of its skill area.
BADGE_VALIDITY_MONTHS = {
    "first_aid": 24,
    "search_rescue": 24,
    "traffic": 24,
    "fire": 36,
    "environment": 36,
    "legal_aid": 36,
    "social_assistance": 36,
}
DEMO_BADGE_HOLDER = "volunteer"


@transaction.atomic
def load_badges() -> dict[str, int]:
    """Badge classes for the specialist demo courses (criteria: the course and its practical assessment), the
    teams' required badges, and the first-aid badge for the demo volunteer. Idempotent."""
    from assessments.models import Rubric
    from courses.selectors.learners import course_training_base_organization
    from lms.accounts.models import User

    from .models import BadgeAward, BadgeClass, TeamRequiredBadge
    from .services import badge_award_manual

    created = 0
    badges_by_area: dict[str, BadgeClass] = {}
    for course in CoursePage.objects.live().filter(skill_area__in=list(BADGE_VALIDITY_MONTHS)).order_by("path"):
        issuer = course_training_base_organization(course=course)
        if issuer is None or course.skill_area in badges_by_area:
            continue
        badge, was_created = BadgeClass.objects.get_or_create(
            slug=f"{course.key}-skills",
            defaults={
                "name": f"{course.title}技能徽章",
                "name_en": f"{course.title_en or course.title} skills",
                "description": f"持有者完成《{course.title}》培训并通过实操考核，具备上岗服务的基本技能。",
                "description_en": f"The holder completed {course.title_en or course.title} and passed its practical.",
                "criteria_narrative": (
                    f"完成《{course.title}》课程并通过其实操考核；有效期满前参加复训或重新考核可续期。"
                ),
                "skill_area": course.skill_area,
                "issuer": issuer,
                "validity_months": BADGE_VALIDITY_MONTHS[course.skill_area],
            },
        )
        created += was_created
        badge.courses.add(course)
        badge.rubrics.add(*Rubric.objects.filter(course=course))
        badges_by_area[course.skill_area] = badge
    for team in Organization.objects.filter(kind=OrganizationKind.TEAM):
        badge = badges_by_area.get(team.skill_area)
        if badge is not None:
            TeamRequiredBadge.objects.get_or_create(team=team, badge_class=badge)
    holder = User.objects.filter(username=DEMO_BADGE_HOLDER).first()
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    first_aid = badges_by_area.get("first_aid")
    if holder and admin and first_aid and not BadgeAward.objects.filter(badge_class=first_aid, learner=holder).exists():
        badge_award_manual(
            badge_class=first_aid,
            learner=holder,
            actor=admin,
            evidence_note="演示数据：市红十字会救护员证（已通过心肺复苏实操考核）",
        )
    return {
        "badge_classes": BadgeClass.objects.count(),
        "created": created,
        "team_requirements": TeamRequiredBadge.objects.count(),
    }
