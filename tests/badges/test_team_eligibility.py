"""Teams: apply, accept, reject; leader pages for leaders only (outsider 404); the eligible-volunteer search and
the roster in a constant number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.constants import Role
from accounts.models import Membership
from accounts.services import membership_add
from badges.models import BadgeAward, TeamApplication, TeamApplicationStatus
from badges.selectors import eligible_volunteers
from badges.services import team_application_accept, team_application_create, team_application_reject
from tests.badges.factories import first_aid_setup
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _give_badge(setup, user, *, valid_from=None, valid_until=None):
    valid_from = valid_from or datetime.date.today()
    return BadgeAward.objects.create(
        badge_class=setup.badge,
        learner=user,
        issuer=setup.badge.issuer,
        valid_from=valid_from,
        valid_until=valid_until or valid_from + datetime.timedelta(days=730),
    )


def test_an_eligible_volunteer_applies_and_the_leader_accepts(cast):
    setup = first_aid_setup(cast)
    with pytest.raises(ValidationError) as error:
        team_application_create(team=setup.team, applicant=cast.learner)
    assert setup.badge.name in error.value.messages[0]
    _give_badge(setup, cast.learner)
    application = team_application_create(team=setup.team, applicant=cast.learner, message="我有急救经验")
    assert team_application_create(team=setup.team, applicant=cast.learner) == application
    for actor in (cast.outsider, cast.learner, cast.coordinator_a):
        with pytest.raises(PermissionDenied):
            team_application_accept(application=application, actor=actor)
    accepted = team_application_accept(application=application, actor=setup.leader)
    assert accepted.status == TeamApplicationStatus.ACCEPTED
    assert Membership.objects.filter(user=cast.learner, organization=setup.team, role=Role.LEARNER).exists()
    assert team_application_accept(application=application, actor=setup.leader).status == "accepted"
    with pytest.raises(ValidationError):
        team_application_create(team=setup.team, applicant=cast.learner)


def test_the_leader_cannot_accept_an_applicant_whose_badge_lapsed_but_may_decline(cast):
    setup = first_aid_setup(cast)
    award = _give_badge(setup, cast.learner)
    application = team_application_create(team=setup.team, applicant=cast.learner)
    award.valid_from = datetime.date.today() - datetime.timedelta(days=800)
    award.valid_until = datetime.date.today() - datetime.timedelta(days=1)
    award.save()
    with pytest.raises(ValidationError):
        team_application_accept(application=application, actor=setup.leader)
    declined = team_application_reject(application=application, actor=setup.leader, note="请先复训")
    assert declined.status == TeamApplicationStatus.REJECTED and declined.decision_note == "请先复训"
    assert not Membership.objects.filter(user=cast.learner, organization=setup.team).exists()


def _candidates(setup, count: int):
    users = [UserFactory(real_name=f"候选人{index:03d}") for index in range(count)]
    for user in users:
        _give_badge(setup, user)
    return users


@pytest.mark.parametrize("count", [1, 100])
def test_the_eligible_search_runs_in_constant_queries(cast, django_assert_num_queries, count):
    setup = first_aid_setup(cast)
    candidates = _candidates(setup, count)
    lapsed = UserFactory(real_name="过期者")
    _give_badge(setup, lapsed, valid_from=datetime.date(2020, 1, 1), valid_until=datetime.date(2022, 1, 1))
    member = UserFactory(real_name="已是队员")
    _give_badge(setup, member)
    membership_add(user=member, organization=setup.team, role=Role.LEARNER)
    with django_assert_num_queries(3):
        found = eligible_volunteers(team=setup.team, limit=200)
        names = [(user.real_name, [award.badge_class_id for award in user.valid_required_awards]) for user in found]
    assert {name for name, _badges in names} == {user.real_name for user in candidates}
    assert all(badges == [setup.badge.pk] for _name, badges in names)


@pytest.mark.parametrize("count", [1, 50])
def test_leader_pages_have_constant_queries(cast, client_for, django_assert_num_queries, count):
    setup = first_aid_setup(cast)
    for user in _candidates(setup, count):
        membership_add(user=user, organization=setup.team, role=Role.LEARNER)
    applicants = _candidates(setup, count)
    for user in applicants:
        team_application_create(team=setup.team, applicant=user)
    client = client_for(setup.leader)
    for name, queries in (("badges:team_manage", 11), ("badges:team_search", 8)):
        with django_assert_num_queries(queries):
            response = client.get(reverse(name, args=[setup.team.slug]))
        assert response.status_code == 200
    assert response.content.decode().count("候选人") >= count


def test_roster_flags_members_whose_badge_expired(cast, client_for):
    setup = first_aid_setup(cast)
    ok, lapsed = UserFactory(real_name="有效队员"), UserFactory(real_name="过期队员")
    _give_badge(setup, ok)
    _give_badge(setup, lapsed, valid_from=datetime.date(2020, 1, 1), valid_until=datetime.date(2022, 1, 1))
    for user in (ok, lapsed):
        membership_add(user=user, organization=setup.team, role=Role.LEARNER)
    response = client_for(setup.leader).get(reverse("badges:team_manage", args=[setup.team.slug]))
    flagged = response.content.decode().split('data-testid="flagged-members"')[1].split("</ul>")[0]
    assert "过期队员" in flagged and "有效队员" not in flagged


def test_leader_pages_are_404_for_everyone_but_the_leader(cast, client_for):
    setup = first_aid_setup(cast)
    _give_badge(setup, cast.learner)
    application = team_application_create(team=setup.team, applicant=cast.learner)
    membership_add(user=cast.coordinator_b, organization=setup.team, role=Role.LEARNER)  # a plain member
    for user in (cast.outsider, cast.learner, cast.coordinator_b, cast.coordinator_a):
        client = client_for(user)
        assert client.get(reverse("badges:team_manage", args=[setup.team.slug])).status_code == 404
        assert client.get(reverse("badges:team_search", args=[setup.team.slug])).status_code == 404
        response = client.post(reverse("badges:team_application_decide", args=[application.pk]), {"action": "accept"})
        assert response.status_code == 404
    assert TeamApplication.objects.get().status == TeamApplicationStatus.PENDING
    assert client_for(cast.outsider).get(reverse("badges:team_detail", args=["no-such-team"])).status_code == 404


def test_volunteer_pages_show_eligibility_and_apply(cast, client_for):
    setup = first_aid_setup(cast)
    client = client_for(cast.learner)
    response = client.get(reverse("badges:team_detail", args=[setup.team.slug]))
    assert 'data-testid="team-not-eligible"' in response.content.decode()
    assert client.post(reverse("badges:team_detail", args=[setup.team.slug]), {"message": ""}).status_code == 400
    _give_badge(setup, cast.learner)
    assert client.get(reverse("badges:team_list")).status_code == 200
    response = client.post(reverse("badges:team_detail", args=[setup.team.slug]), {"message": "申请加入"})
    assert response.status_code == 302
    assert TeamApplication.objects.get().applicant == cast.learner
    leader = client_for(setup.leader)
    application = TeamApplication.objects.get()
    leader.post(reverse("badges:team_application_decide", args=[application.pk]), {"action": "accept"})
    assert Membership.objects.filter(user=cast.learner, organization=setup.team, role=Role.LEARNER).exists()
