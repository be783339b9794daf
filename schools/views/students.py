"""Overview, roster, student records, classes and policy, and account activation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Organization
from accounts.permissions import get_object_for_user_or_404, organizations_for_user, user_can
from core.school_years import current_school_year
from schools.forms import ActivationForm, SchoolClassForm, SchoolPolicyForm
from schools.models import SchoolClass, StudentProfile
from schools.selectors import compliance, roster
from schools.services import students as student_services
from schools.views.common import EDUCATIONAL_KINDS, organization_or_404, school_year_from

# ---------------------------------------------------------------------------------------------------------------
# Overview
# ---------------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def school_home(request: HttpRequest) -> HttpResponse:
    """The user's schools to manage and their own student records."""
    managed = organizations_for_user(request.user, "view_reports").filter(kind__in=EDUCATIONAL_KINDS)
    organizers = organizations_for_user(request.user, "record_practice").exclude(kind__in=EDUCATIONAL_KINDS)
    profiles = StudentProfile.objects.filter(user=request.user).select_related("organization", "school_class")
    return render(
        request,
        "schools/home.html",
        {"managed": list(managed), "organizers": list(organizers), "profiles": list(profiles)},
    )


@login_required
@require_GET
def organization_overview(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_or_404(request, slug, "view_reports")
    counts = StudentProfile.objects.filter(organization=organization).aggregate(
        students=Count("pk"), inactive=Count("pk", filter=~Q(activation_code=""))
    )
    return render(
        request,
        "schools/overview.html",
        {
            "organization": organization,
            "counts": counts,
            "can_manage": user_can(request.user, "manage_students", organization),
            "can_record": user_can(request.user, "record_practice", organization),
            "school_year": current_school_year(),
        },
    )


# ---------------------------------------------------------------------------------------------------------------
# Roster, students, classes and policy
# ---------------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def roster_list(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_or_404(request, slug, "manage_students")
    search = request.GET.get("q", "").strip()
    class_id = request.GET.get("school_class", "")
    students = roster.roster(
        organization=organization, search=search, school_class_id=int(class_id) if class_id.isdigit() else None
    )
    page = Paginator(students, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "schools/roster.html",
        {
            "organization": organization,
            "page": page,
            "classes": SchoolClass.objects.filter(organization=organization),
            "q": search,
            "selected_class": class_id,
        },
    )


@login_required
@require_GET
def student_detail(request: HttpRequest, slug: str, student_id: int) -> HttpResponse:
    """One student's record: the coordinators of the school, or the student themself."""
    organization = get_object_or_404(Organization, slug=slug)
    profile = get_object_for_user_or_404(
        request.user,
        "view",
        StudentProfile.objects.select_related("user", "school_class", "organization"),
        pk=student_id,
        organization=organization,
    )
    year = school_year_from(request)
    figures = compliance.student_compliance(profile=profile, school_year=year)
    return render(
        request,
        "schools/student_detail.html",
        {
            "organization": organization,
            "profile": profile,
            "school_year": year,
            "is_coordinator": user_can(request.user, "manage_students", organization),
            "status_labels": compliance.STATUS_LABELS,
            **figures,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def classes_and_policy(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_or_404(request, slug, "manage_students")
    policy = student_services.school_policy_for(organization=organization)
    class_form = SchoolClassForm(request.POST if request.POST.get("form") == "class" else None)
    policy_form = SchoolPolicyForm(
        request.POST if request.POST.get("form") == "policy" else None,
        initial={
            "count_learning": policy.count_learning,
            "count_practice": policy.count_practice,
            "count_training": policy.count_training,
        },
    )
    if request.method == "POST":
        form = class_form if request.POST.get("form") == "class" else policy_form
        if form.is_valid():
            try:
                if form is class_form:
                    student_services.school_class_create(organization=organization, **form.cleaned_data)
                    messages.success(request, _("Class added."))
                else:
                    student_services.school_policy_update(organization=organization, **form.cleaned_data)
                    messages.success(request, _("The hours policy was saved."))
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                return redirect("schools:school_classes", slug=organization.slug)
    classes = SchoolClass.objects.filter(organization=organization).annotate(student_count=Count("students"))
    return render(
        request,
        "schools/classes.html",
        {
            "organization": organization,
            "classes": classes,
            "class_form": class_form,
            "policy_form": policy_form,
        },
        status=400 if request.method == "POST" else 200,
    )


# ---------------------------------------------------------------------------------------------------------------
# The student's side
# ---------------------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest) -> HttpResponse:
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            student_services.student_account_activate(
                username=form.cleaned_data["username"],
                activation_code=form.cleaned_data["activation_code"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                for message in field_messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Your account is active. Please log in with your new password."))
            return redirect("accounts:login")
    return render(
        request,
        "schools/activate.html",
        {"form": form, "title": _("Activate your student account")},
        status=400 if request.method == "POST" else 200,
    )
