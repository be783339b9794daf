"""Specialised teams: volunteers see the requirements and apply; leaders see the roster, decide on applications
and search eligible volunteers. Leader pages are for holders of lead_team on the team; anyone else gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.constants import OrganizationKind, Role
from accounts.models import Membership, Organization
from accounts.permissions import get_object_for_user_or_404
from badges import selectors as selectors
from badges import services
from badges.forms import TeamApplicationForm, VolunteerSearchForm
from badges.models import TeamApplication, TeamApplicationStatus

TEAMS = Organization.objects.filter(kind=OrganizationKind.TEAM)


def _led_team(request, slug: str) -> Organization:
    return get_object_for_user_or_404(request.user, "lead_team", TEAMS, slug=slug)


@login_required
@require_GET
def team_list(request):
    teams = list(selectors.teams_for_volunteers())
    held = selectors.valid_badge_class_ids(learner=request.user)
    member_of = set(
        Membership.objects.filter(user=request.user, role=Role.LEARNER, organization__in=teams).values_list(
            "organization_id", flat=True
        )
    )
    rows = []
    for team in teams:
        required = [row.badge_class for row in team.required_badges.all()]
        rows.append(
            {
                "team": team,
                "required": required,
                "eligible": all(badge.pk in held for badge in required),
                "member": team.pk in member_of,
            }
        )
    led = list(selectors.teams_led_by(user=request.user))
    return render(request, "badges/teams/team_list.html", {"rows": rows, "led": led})


@login_required
@require_http_methods(["GET", "POST"])
def team_detail(request, slug: str):
    team = get_object_or_404(TEAMS, slug=slug)
    form = TeamApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_application_create(team=team, applicant=request.user, message=form.cleaned_data["message"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Your application was sent to the team leader."))
            return redirect("badges:team_detail", slug=team.slug)
    eligibility = selectors.team_eligibility(team=team, learner=request.user)
    is_member = Membership.objects.filter(user=request.user, organization=team, role=Role.LEARNER).exists()
    applications = TeamApplication.objects.filter(team=team, applicant=request.user).order_by("-created_at")[:5]
    return render(
        request,
        "badges/teams/team_detail.html",
        {
            "team": team,
            "eligibility": eligibility,
            "is_member": is_member,
            "applications": applications,
            "has_pending": any(app.status == TeamApplicationStatus.PENDING for app in applications),
            "form": form,
            "is_leader": bool(selectors.teams_led_by(user=request.user).filter(pk=team.pk).exists()),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def team_manage(request, slug: str):
    team = _led_team(request, slug)
    required, roster = selectors.team_roster(team=team)
    return render(
        request,
        "badges/teams/team_manage.html",
        {
            "team": team,
            "required": required,
            "roster": roster,
            "flagged": [row for row in roster if row.flagged],
            "applications": selectors.pending_applications(team=team),
        },
    )


@login_required
@require_GET
def team_search(request, slug: str):
    team = _led_team(request, slug)
    form = VolunteerSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    volunteers = selectors.eligible_volunteers(team=team, query=query)
    return render(
        request,
        "badges/teams/team_search.html",
        {"team": team, "form": form, "volunteers": volunteers, "limit": selectors.SEARCH_LIMIT},
    )


@login_required
@require_POST
def application_decide(request, pk: int):
    application = get_object_for_user_or_404(
        request.user, "lead_team", TeamApplication.objects.select_related("team", "applicant"), pk=pk
    )
    action = request.POST.get("action")
    try:
        if action == "accept":
            services.team_application_accept(application=application, actor=request.user)
            messages.success(request, _("%(name)s joined the team.") % {"name": application.applicant.display_name})
        elif action == "reject":
            services.team_application_reject(
                application=application, actor=request.user, note=request.POST.get("note", "")
            )
            messages.info(request, _("The application was declined."))
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied as error:
        raise Http404 from error
    return redirect("badges:team_manage", slug=application.team.slug)
