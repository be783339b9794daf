"""Practice activities: record (rules checked per participant), verify (谁记录谁证明), reject."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import user_can
from schools.forms import RejectForm, ServiceActivityForm
from schools.models import ServiceActivity, ServiceParticipation
from schools.selectors import roster
from schools.services import practice
from schools.views.common import EDUCATIONAL_KINDS, organization_or_404, service_errors


@login_required
@require_GET
def activity_list(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_or_404(request, slug, "record_practice", educational=False)
    page = Paginator(roster.activities_of(organization=organization), 50).get_page(request.GET.get("page"))
    return render(request, "schools/activities.html", {"organization": organization, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_or_404(request, slug, "record_practice", educational=False)
    roster_queryset = None
    if organization.kind in EDUCATIONAL_KINDS:
        roster_queryset = roster.roster(organization=organization)
    form = ServiceActivityForm(request.POST or None, request.FILES or None, roster=roster_queryset)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        participants = [
            practice.ParticipantInput(
                user=profile.user, minutes=None, label=f"{profile.student_number} {profile.user.real_name}"
            )
            for profile in data.get("participants") or []
        ]
        upload = data.get("participants_file")
        try:
            if upload is not None:
                from_file, file_errors = practice.participants_from_file(
                    organizer=organization, data=upload.read(), file_name=upload.name
                )
                problems.extend(file_errors)
                participants.extend(from_file)
            if not problems:
                activity = practice.service_activity_record(
                    organizer=organization,
                    recorded_by=request.user,
                    title=data["title"],
                    content=data["content"],
                    place=data["place"],
                    occurred_on=data["occurred_on"],
                    start_time=data["start_time"],
                    end_time=data["end_time"],
                    duration_minutes=data["duration_minutes"],
                    school_year=data["school_year"],
                    participants=participants,
                )
                messages.success(request, _("The activity was recorded; its hours wait for verification."))
                return redirect("schools:school_activity", slug=slug, activity_id=activity.pk)
        except ValidationError as error:
            problems.extend(service_errors(error))
        except PermissionDenied:
            raise Http404
    return render(
        request,
        "schools/activity_form.html",
        {"organization": organization, "form": form, "problems": problems},
        status=400 if request.method == "POST" else 200,
    )


def _activity(request: HttpRequest, slug: str, activity_id: int) -> ServiceActivity:
    organization = organization_or_404(request, slug, "record_practice", educational=False)
    activity = roster.activity_of(organization=organization, activity_id=activity_id)
    if activity is None:
        raise Http404
    return activity


@login_required
@require_GET
def activity_detail(request: HttpRequest, slug: str, activity_id: int) -> HttpResponse:
    activity = _activity(request, slug, activity_id)
    participations = activity.participations.select_related("user", "hours_entry").order_by("user__real_name")
    return render(
        request,
        "schools/activity_detail.html",
        {
            "organization": activity.organizer,
            "activity": activity,
            "participations": participations,
            "can_verify": user_can(request.user, "verify_practice", activity.organizer),
            "reject_form": RejectForm(),
        },
    )


@login_required
@require_POST
def activity_verify(request: HttpRequest, slug: str, activity_id: int) -> HttpResponse:
    activity = _activity(request, slug, activity_id)
    try:
        count = practice.service_activity_verify(activity=activity, verifier=request.user)
    except PermissionDenied:
        raise Http404
    messages.success(request, _("%(count)d entries verified.") % {"count": count})
    return redirect("schools:school_activity", slug=slug, activity_id=activity.pk)


@login_required
@require_POST
def participation_reject(request: HttpRequest, slug: str, activity_id: int, participation_id: int) -> HttpResponse:
    activity = _activity(request, slug, activity_id)
    participation = get_object_or_404(
        ServiceParticipation.objects.select_related("hours_entry__recorded_by_organization", "activity__organizer"),
        pk=participation_id,
        activity=activity,
    )
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a reason for rejecting these hours."))
    else:
        try:
            practice.service_participation_reject(
                participation=participation, verifier=request.user, reason=form.cleaned_data["reason"]
            )
        except PermissionDenied:
            raise Http404
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The hours were rejected."))
    return redirect("schools:school_activity", slug=slug, activity_id=activity.pk)
