"""Demo badges: badge classes for the specialist demo courses, the teams' required badges, one award."""

from __future__ import annotations

from django.db import transaction

from accounts.constants import OrganizationKind
from accounts.models import Organization
from content.models import CoursePage

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
    from accounts.models import User
    from assessments.models import Rubric
    from badges.models import BadgeAward, BadgeClass, TeamRequiredBadge
    from badges.services import badge_award_manual
    from courses.selectors.learners import course_training_base_organization

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
