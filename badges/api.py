"""Badges and specialised teams through the API (mounted by lms/api.py).

Volunteers: their badges with links to the public Open Badges 3.0 documents (credential, achievement, issuer) and
the teams with their eligibility, and applying. Team leaders (lead_team on the team): eligible volunteers, pending
applications and decisions, the roster. Anyone else gets 404 from the permission service.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.constants import OrganizationKind, Role
from accounts.models import Membership, Organization
from accounts.permissions import get_object_for_user_or_404
from badges import selectors as selectors
from badges import services
from badges.models import BadgeAward, TeamApplication, TeamApplicationStatus
from badges.openbadges.urls import absolute

AWARD_STATUSES = ["valid", "expired", "revoked", "not_yet_valid"]


class BadgeLinksSerializer(serializers.Serializer):
    credential = serializers.URLField(help_text="The OB 3.0 AchievementCredential (JSON).")
    credential_jwt = serializers.URLField(help_text="The same credential, signed (VC-JWT).")
    assertion_ob2 = serializers.URLField(help_text="An Open Badges 2.0 assertion, for older backpacks.")
    achievement = serializers.URLField(help_text="The OB 3.0 Achievement (what the badge certifies).")
    issuer = serializers.URLField(help_text="The issuer's OB 3.0 Profile.")
    page = serializers.URLField(help_text="The award's public web page.")
    image = serializers.URLField()


class BadgeAwardSerializer(serializers.Serializer):
    uid = serializers.UUIDField()
    badge = serializers.CharField(source="badge_class.name")
    badge_en = serializers.CharField(source="badge_class.name_en", allow_blank=True)
    badge_key = serializers.CharField(source="badge_class.slug")
    skill_area = serializers.CharField(source="badge_class.skill_area")
    issuer_name = serializers.CharField(source="issuer.name")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=AWARD_STATUSES)
    links = serializers.SerializerMethodField()

    @extend_schema_field(BadgeLinksSerializer)
    def get_links(self, award: BadgeAward) -> dict:
        return {
            "credential": absolute("badge_award_credential", uid=award.uid),
            "credential_jwt": absolute("badge_award_jwt", uid=award.uid),
            "assertion_ob2": absolute("badge_assertion", uid=award.uid),
            "achievement": absolute("badge_achievement", slug=award.badge_class.slug),
            "issuer": absolute("badge_issuer", slug=award.issuer.slug),
            "page": absolute("badge_award", uid=award.uid),
            "image": absolute("badge_award_image", uid=award.uid),
        }


class MyBadgesView(GenericAPIView):
    """The caller's badges (valid, expired, revoked), each with its Open Badges 3.0 links."""

    serializer_class = BadgeAwardSerializer

    @extend_schema(responses=BadgeAwardSerializer(many=True), tags=["me"])
    def get(self, request):
        page = self.paginate_queryset(selectors.awards_of_learner(learner=request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class BadgeRefSerializer(serializers.Serializer):
    key = serializers.CharField(source="slug")
    name = serializers.CharField()


class TeamSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="team.id")
    name = serializers.CharField(source="team.name")
    skill_area = serializers.CharField(source="team.skill_area", allow_blank=True)
    required_badges = BadgeRefSerializer(many=True, source="required")
    missing_badges = BadgeRefSerializer(many=True, source="missing")
    eligible = serializers.BooleanField()
    member = serializers.BooleanField()


class MyTeamsView(GenericAPIView):
    """The specialised teams: the badges each requires, which the caller lacks, whether they are a member."""

    serializer_class = TeamSerializer

    @extend_schema(responses=TeamSerializer(many=True), tags=["me"])
    def get(self, request):
        page = self.paginate_queryset(selectors.teams_for_volunteers())
        held = selectors.valid_badge_class_ids(learner=request.user)
        member_of = set(
            Membership.objects.filter(
                user=request.user, role=Role.LEARNER, organization__in=[team.pk for team in page]
            ).values_list("organization_id", flat=True)
        )
        rows = []
        for team in page:
            required = [row.badge_class for row in team.required_badges.all()]
            missing = [badge for badge in required if badge.pk not in held]
            rows.append(
                {
                    "team": team,
                    "required": required,
                    "missing": missing,
                    "eligible": not missing,
                    "member": team.pk in member_of,
                }
            )
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


class ApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    team_id = serializers.IntegerField()
    applicant_volunteer_number = serializers.CharField(source="applicant.volunteer_number")
    applicant_name = serializers.CharField(source="applicant.display_name")
    status = serializers.ChoiceField(choices=TeamApplicationStatus.choices)
    message = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    eligible = serializers.BooleanField(required=False, help_text="Holds every required badge today (leaders).")


class ApplicationRequestSerializer(serializers.Serializer):
    message = serializers.CharField(required=False, allow_blank=True, max_length=1000)


def _team_or_404(team_id: int) -> Organization:
    team = Organization.objects.filter(pk=team_id, kind=OrganizationKind.TEAM).first()
    if team is None:
        raise Http404
    return team


def _led_team_or_404(request, team_id: int) -> Organization:
    return get_object_for_user_or_404(  # type: ignore[return-value]
        request.user, "lead_team", Organization.objects.filter(kind=OrganizationKind.TEAM), pk=team_id
    )


class TeamApplicationsView(GenericAPIView):
    """POST: apply to join a team (the required badges are checked; 400 names the missing ones).
    GET: the team's pending applications, for its leaders."""

    serializer_class = ApplicationSerializer

    @extend_schema(request=ApplicationRequestSerializer, responses={201: ApplicationSerializer}, tags=["teams"])
    def post(self, request, team_id: int):
        team = _team_or_404(team_id)
        serializer = ApplicationRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = services.team_application_create(
            team=team, applicant=request.user, message=serializer.validated_data.get("message", "")
        )
        return Response(ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses=ApplicationSerializer(many=True), operation_id="v1_teams_applications_list", tags=["teams"]
    )
    def get(self, request, team_id: int):
        team = _led_team_or_404(request, team_id)
        page = self.paginate_queryset(selectors.pending_applications(team=team))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accept", "reject"])
    note = serializers.CharField(required=False, allow_blank=True, max_length=255)


class ApplicationDecisionView(APIView):
    """Accept (the volunteer joins the team) or reject a pending application: the team's leaders only."""

    @extend_schema(request=DecisionSerializer, responses=ApplicationSerializer, tags=["teams"])
    def post(self, request, team_id: int, application_id: int):
        team = _led_team_or_404(request, team_id)
        found = TeamApplication.objects.select_related("team", "applicant").filter(pk=application_id, team=team).first()
        if found is None:
            raise Http404
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data["decision"] == "accept":
            decided = services.team_application_accept(application=found, actor=request.user)
        else:
            note = serializer.validated_data.get("note", "")
            decided = services.team_application_reject(application=found, actor=request.user, note=note)
        return Response(ApplicationSerializer(decided).data)


class VolunteerSerializer(serializers.Serializer):
    user_id = serializers.IntegerField(source="pk")
    volunteer_number = serializers.CharField()
    name = serializers.CharField(source="display_name")
    has_pending_application = serializers.BooleanField()


class EligibleQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=64, help_text="Name contains, or a volunteer number.")


class EligibleVolunteersView(GenericAPIView):
    """Volunteers who hold every badge the team requires (valid today) and are not members: for its leaders."""

    serializer_class = VolunteerSerializer

    @extend_schema(parameters=[EligibleQuerySerializer], responses=VolunteerSerializer(many=True), tags=["teams"])
    def get(self, request, team_id: int):
        team = _led_team_or_404(request, team_id)
        query = EligibleQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        volunteers = selectors.eligible_volunteers(team=team, query=query.validated_data.get("q", ""))
        page = self.paginate_queryset(volunteers)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class RosterMemberSerializer(serializers.Serializer):
    user_id = serializers.IntegerField(source="member.pk")
    volunteer_number = serializers.CharField(source="member.volunteer_number")
    name = serializers.CharField(source="member.display_name")
    badges = BadgeAwardSerializer(many=True, source="awards", help_text="The valid required badges held.")
    missing_badges = BadgeRefSerializer(many=True, source="missing")
    flagged = serializers.BooleanField(help_text="Lacks a valid required badge.")
    expiring_soon = serializers.BooleanField()


class TeamRosterView(GenericAPIView):
    """The team's members with their required badges; members missing one come first (flagged)."""

    serializer_class = RosterMemberSerializer

    @extend_schema(responses=RosterMemberSerializer(many=True), tags=["teams"])
    def get(self, request, team_id: int):
        team = _led_team_or_404(request, team_id)
        _required, rows = selectors.team_roster(team=team)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


urlpatterns = [
    path("me/badges/", MyBadgesView.as_view(), name="me-badges"),
    path("me/teams/", MyTeamsView.as_view(), name="me-teams"),
    path("teams/<int:team_id>/applications/", TeamApplicationsView.as_view(), name="team-applications"),
    path(
        "teams/<int:team_id>/applications/<int:application_id>/decision/",
        ApplicationDecisionView.as_view(),
        name="team-application-decision",
    ),
    path("teams/<int:team_id>/eligible-volunteers/", EligibleVolunteersView.as_view(), name="team-eligible"),
    path("teams/<int:team_id>/roster/", TeamRosterView.as_view(), name="team-roster"),
]
