"""Builders for badge and team tests: a first-aid course with a CPR rubric, its badge, a medical team."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.constants import OrganizationKind, Role, SkillArea
from accounts.models import Organization, User
from accounts.services import membership_add
from assessments.models import Rubric
from assessments.services.practical import practical_assessment_record
from badges.models import BadgeClass, TeamRequiredBadge
from content.models import CoursePage
from tests.assessments.factories import RubricFactory
from tests.content.factories import course_tree
from tests.factories import OrganizationFactory, UserFactory

CPR_PASS = {"scene": True, "call": True, "compressions": True, "aed": True}
CPR_FAIL = {"scene": True, "call": True, "compressions": False, "aed": True}


class BadgeClassFactory(DjangoModelFactory):
    class Meta:
        model = BadgeClass

    slug = factory.Sequence(lambda n: f"badge-{n}")
    name = "应急救护技能徽章"
    name_en = "First Aid Skills"
    description = "持有者完成应急救护培训并通过心肺复苏实操考核。"
    criteria_narrative = "完成《应急救护》课程，并通过心肺复苏（CPR）实操考核。"
    skill_area = SkillArea.FIRST_AID
    validity_months = 24


@dataclass
class FirstAid:
    base: Organization
    course: CoursePage
    rubric: Rubric
    badge: BadgeClass
    team: Organization
    assessor: User
    leader: User


def first_aid_setup(cast, **badge_fields) -> FirstAid:
    """The training base X's first-aid course and CPR rubric, its badge (24 months), and a medical team that
    requires it, with an assessor at base X and a team leader."""
    _base, _curriculum, course, _lessons = course_tree(cast.base_x, lessons=1, credit_hours=4, skill_area="first_aid")
    rubric = RubricFactory(organization=cast.base_x, course=course)
    badge = BadgeClassFactory(issuer=cast.base_x, **badge_fields)
    badge.courses.add(course)
    badge.rubrics.add(rubric)
    team = OrganizationFactory(
        slug="team-medical",
        name="医疗急救志愿服务队",
        kind=OrganizationKind.TEAM,
        parent=cast.city,
        skill_area=SkillArea.FIRST_AID,
    )
    TeamRequiredBadge.objects.create(team=team, badge_class=badge)
    assessor = UserFactory(username="assessor", real_name="孙医生")
    membership_add(user=assessor, organization=cast.base_x, role=Role.ASSESSOR)
    leader = UserFactory(username="leader", real_name="郑队长")
    membership_add(user=leader, organization=team, role=Role.TEAM_LEADER)
    return FirstAid(cast.base_x, course, rubric, badge, team, assessor, leader)


def record_practical(setup: FirstAid, learner, *, on: datetime.date | None = None, results=None):
    return practical_assessment_record(
        rubric=setup.rubric,
        learner=learner,
        assessor=setup.assessor,
        assessed_on=on or timezone.localdate(),
        place="X 培训基地实训室",
        results=results or CPR_PASS,
    )
