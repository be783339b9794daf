"""Badges and teams through the API: my badges with OB 3.0 links, my teams, applying; leaders' endpoints are 404
for everyone but the team's leaders."""

from __future__ import annotations

import datetime

import pytest

from accounts.constants import Role
from accounts.models import Membership
from badges.models import BadgeAward, TeamApplication, TeamApplicationStatus
from tests.badges.factories import first_aid_setup
from tests.lms.api_helpers import fresh_throttles, token_client  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


def _give_badge(setup, user):
    today = datetime.date.today()
    return BadgeAward.objects.create(
        badge_class=setup.badge,
        learner=user,
        issuer=setup.badge.issuer,
        valid_from=today,
        valid_until=today + datetime.timedelta(days=730),
    )


def test_my_badges_link_to_the_open_badges_documents(cast, settings):
    settings.CERTIFICATES_VERIFY_BASE_URL = "https://lms.example.cn"
    setup = first_aid_setup(cast)
    award = _give_badge(setup, cast.learner)
    body = token_client(cast.learner).get("/api/v1/me/badges/").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["uid"] == str(award.uid) and row["status"] == "valid" and row["badge_key"] == setup.badge.slug
    assert row["links"]["credential"] == f"https://lms.example.cn/badges/awards/{award.uid}/credential.json"
    assert row["links"]["achievement"].endswith(f"/badges/achievements/{setup.badge.slug}/")
    assert row["links"]["issuer"].endswith(f"/badges/issuers/{cast.base_x.slug}/")
    assert token_client(cast.outsider).get("/api/v1/me/badges/").json()["count"] == 0


def test_my_teams_show_the_missing_badge_until_it_is_held_then_applying_works(cast):
    setup = first_aid_setup(cast)
    api = token_client(cast.learner)
    team = api.get("/api/v1/me/teams/").json()["results"][0]
    assert team["id"] == setup.team.pk and team["eligible"] is False
    assert [badge["key"] for badge in team["missing_badges"]] == [setup.badge.slug]
    refused = api.post(f"/api/v1/teams/{setup.team.pk}/applications/", {"message": "我想加入"}, format="json")
    assert refused.status_code == 400 and setup.badge.name in refused.json()["detail"]

    _give_badge(setup, cast.learner)
    assert api.get("/api/v1/me/teams/").json()["results"][0]["eligible"] is True
    applied = api.post(f"/api/v1/teams/{setup.team.pk}/applications/", {"message": "我想加入"}, format="json")
    assert applied.status_code == 201 and applied.json()["status"] == TeamApplicationStatus.PENDING


def test_the_leader_sees_eligible_volunteers_and_accepts_an_application(cast):
    setup = first_aid_setup(cast)
    _give_badge(setup, cast.learner)
    leader = token_client(setup.leader)
    eligible = leader.get(f"/api/v1/teams/{setup.team.pk}/eligible-volunteers/").json()
    assert [row["volunteer_number"] for row in eligible["results"]] == [cast.learner.volunteer_number]

    token_client(cast.learner).post(f"/api/v1/teams/{setup.team.pk}/applications/", {}, format="json")
    pending = leader.get(f"/api/v1/teams/{setup.team.pk}/applications/").json()
    assert pending["count"] == 1 and pending["results"][0]["eligible"] is True
    application_id = pending["results"][0]["id"]
    decided = leader.post(
        f"/api/v1/teams/{setup.team.pk}/applications/{application_id}/decision/", {"decision": "accept"}, format="json"
    )
    assert decided.status_code == 200 and decided.json()["status"] == TeamApplicationStatus.ACCEPTED
    assert Membership.objects.filter(user=cast.learner, organization=setup.team, role=Role.LEARNER).exists()
    roster = leader.get(f"/api/v1/teams/{setup.team.pk}/roster/").json()
    assert [row["volunteer_number"] for row in roster["results"]] == [cast.learner.volunteer_number]
    assert roster["results"][0]["flagged"] is False


def test_leader_endpoints_are_404_for_everyone_else(cast):
    setup = first_aid_setup(cast)
    _give_badge(setup, cast.learner)
    token_client(cast.learner).post(f"/api/v1/teams/{setup.team.pk}/applications/", {}, format="json")
    application = TeamApplication.objects.get()
    urls = [
        ("get", f"/api/v1/teams/{setup.team.pk}/applications/"),
        ("get", f"/api/v1/teams/{setup.team.pk}/eligible-volunteers/"),
        ("get", f"/api/v1/teams/{setup.team.pk}/roster/"),
        ("post", f"/api/v1/teams/{setup.team.pk}/applications/{application.pk}/decision/"),
    ]
    for user in (cast.outsider, cast.learner, cast.coordinator_a):
        api = token_client(user)
        for method, url in urls:
            response = getattr(api, method)(url, {"decision": "accept"}, format="json")
            assert response.status_code == 404, (user.username, url)
    assert TeamApplication.objects.get().status == TeamApplicationStatus.PENDING
