"""Ids a client sends to the teams API are resolved within what the caller may touch: the leader of a neighbouring
team naming this team's application through their own team, or this team directly, gets 404 and decides nothing."""

from __future__ import annotations

import datetime

import pytest

from accounts.constants import OrganizationKind, Role
from accounts.services import membership_add
from badges.models import BadgeAward, TeamApplication, TeamApplicationStatus
from tests.badges.factories import first_aid_setup
from tests.factories import OrganizationFactory, UserFactory
from tests.lms.api_helpers import fresh_throttles, token_client  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


def test_a_neighbouring_teams_leader_cannot_decide_this_teams_application(cast):
    setup = first_aid_setup(cast)
    today = datetime.date.today()
    BadgeAward.objects.create(
        badge_class=setup.badge, learner=cast.learner, issuer=setup.badge.issuer, valid_from=today
    )
    token_client(cast.learner).post(f"/api/v1/teams/{setup.team.pk}/applications/", {}, format="json")
    application = TeamApplication.objects.get()
    neighbour_team = OrganizationFactory(slug="team-fire", kind=OrganizationKind.TEAM, parent=cast.city)
    neighbour = UserFactory(username="fire_leader")
    membership_add(user=neighbour, organization=neighbour_team, role=Role.TEAM_LEADER)
    for user in (neighbour, cast.outsider):
        api = token_client(user)
        for team in (neighbour_team, setup.team):
            url = f"/api/v1/teams/{team.pk}/applications/{application.pk}/decision/"
            response = api.post(url, {"decision": "accept"}, format="json")
            assert response.status_code == 404, (user.username, url)
        assert api.get(f"/api/v1/teams/{setup.team.pk}/applications/").status_code == 404
    assert TeamApplication.objects.get().status == TeamApplicationStatus.PENDING
