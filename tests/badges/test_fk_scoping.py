"""Badge classes and team requirements in the admin: issuer, courses, rubrics, team and badge are limited to what the
user may touch, and a crafted POST naming anything else is a form error that saves nothing. Wagtail's default policy
lets only holders of the models' permissions in; the scope then comes from their organisations."""

import pytest
from django.urls import reverse

from accounts.constants import OrganizationKind, Role, SkillArea
from accounts.services import membership_add
from badges.models import BadgeClass, TeamRequiredBadge
from tests.assessments.factories import RubricFactory
from tests.badges.factories import BadgeClassFactory
from tests.content.factories import CoursePageFactory, course_tree
from tests.factories import OrganizationFactory, UserFactory
from tests.fk_scoping_helpers import admin_form_data, with_model_permissions

BADGE_ADD = "wagtailsnippets_badges_badgeclass:add"
REQUIREMENT_ADD = "wagtailsnippets_badges_teamrequiredbadge:add"


@pytest.fixture
def world(cast):
    """Base X's course and rubric, base Y's published course, draft course and rubric, and an issuer at base X who
    holds Wagtail's permissions on the badge models."""
    _base, _curriculum, own_course, _lessons = course_tree(cast.base_x, lessons=1)
    _base, curriculum_y, live_y, _lessons = course_tree(cast.base_y, lessons=1)
    draft_y = CoursePageFactory(parent=curriculum_y, title="Y 的草稿课程")
    draft_y.unpublish()
    issuer = UserFactory(username="issuer_x")
    membership_add(user=issuer, organization=cast.base_x, role=Role.COORDINATOR)  # issue_certificates on base X
    with_model_permissions(issuer, "badges", "badgeclass", "teamrequiredbadge")
    return {
        "issuer": issuer,
        "own_course": own_course,
        "live_y": live_y,
        "draft_y": draft_y,
        "own_rubric": RubricFactory(organization=cast.base_x),
        "rubric_y": RubricFactory(organization=cast.base_y),
    }


def _badge_data(client, **overrides):
    defaults = {
        "slug": "crafted-badge",
        "name": "偷来的徽章",
        "description": "描述",
        "criteria_narrative": "标准",
        "skill_area": SkillArea.FIRST_AID,
    }
    return admin_form_data(client.get(reverse(BADGE_ADD)), **{**defaults, **overrides})


def test_the_badge_form_offers_the_issuers_organisation_and_published_or_own_courses(cast, client_for, world):
    form = client_for(world["issuer"]).get(reverse(BADGE_ADD)).context["form"]
    assert list(form.fields["issuer"].queryset) == [cast.base_x]
    courses = set(form.fields["courses"].queryset)
    assert {world["own_course"], world["live_y"]} <= courses and world["draft_y"] not in courses
    assert list(form.fields["rubrics"].queryset) == [world["own_rubric"]]


@pytest.mark.parametrize(
    "field, value",
    [
        ("issuer", lambda cast, world: cast.base_y.pk),
        ("courses", lambda cast, world: [world["draft_y"].pk]),
        ("refresher_courses", lambda cast, world: [world["draft_y"].pk]),
        ("rubrics", lambda cast, world: [world["rubric_y"].pk]),
    ],
)
def test_a_crafted_badge_naming_another_organisations_object_saves_nothing(cast, client_for, world, field, value):
    client = client_for(world["issuer"])
    data = _badge_data(client, **{"issuer": cast.base_x.pk, field: value(cast, world)})
    response = client.post(reverse(BADGE_ADD), data)
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not BadgeClass.objects.exists()


def test_a_badge_may_name_a_published_course_of_another_base(cast, client_for, world):
    client = client_for(world["issuer"])
    data = _badge_data(client, issuer=cast.base_x.pk, courses=[world["own_course"].pk, world["live_y"].pk])
    assert client.post(reverse(BADGE_ADD), data).status_code == 302
    assert set(BadgeClass.objects.get().courses.all()) == {world["own_course"], world["live_y"]}


def test_the_neighbour_and_the_outsider_can_issue_for_nothing_of_base_x(cast, client_for, world):
    neighbour = UserFactory(username="issuer_y")
    membership_add(user=neighbour, organization=cast.base_y, role=Role.COORDINATOR)
    for user in (with_model_permissions(neighbour, "badges", "badgeclass"), cast.outsider):
        with_model_permissions(user, "badges", "badgeclass")
        client = client_for(user)
        response = client.post(
            reverse(BADGE_ADD),
            _badge_data(client, issuer=cast.base_x.pk, courses=[world["own_course"].pk], slug=f"b-{user.pk}"),
        )
        assert response.status_code == 200 and "issuer" in response.context["form"].errors
    assert not BadgeClass.objects.exists()


@pytest.fixture
def teams(cast):
    leader = UserFactory(username="leader")
    led = OrganizationFactory(slug="team-fire", kind=OrganizationKind.TEAM, parent=cast.city)
    other = OrganizationFactory(slug="team-medical", kind=OrganizationKind.TEAM, parent=cast.city)
    membership_add(user=leader, organization=led, role=Role.TEAM_LEADER)
    with_model_permissions(leader, "badges", "teamrequiredbadge")
    return leader, led, other


def test_a_team_requirement_is_for_a_team_the_user_leads(cast, client_for, teams):
    leader, led, other = teams
    badge = BadgeClassFactory(issuer=cast.base_y)
    client = client_for(leader)
    form = client.get(reverse(REQUIREMENT_ADD)).context["form"]
    assert list(form.fields["team"].queryset) == [led]
    response = client.post(reverse(REQUIREMENT_ADD), {"team": other.pk, "badge_class": badge.pk})
    assert response.status_code == 200 and "team" in response.context["form"].errors
    assert not TeamRequiredBadge.objects.exists()
    # An active badge is a public document: any issuer's may be required.
    assert client.post(reverse(REQUIREMENT_ADD), {"team": led.pk, "badge_class": badge.pk}).status_code == 302


def test_an_inactive_badge_of_another_issuer_cannot_be_required(cast, client_for, teams):
    leader, led, _other = teams
    hidden = BadgeClassFactory(issuer=cast.base_y, is_active=False)
    response = client_for(leader).post(reverse(REQUIREMENT_ADD), {"team": led.pk, "badge_class": hidden.pk})
    assert response.status_code == 200 and "badge_class" in response.context["form"].errors
    assert not TeamRequiredBadge.objects.exists()
