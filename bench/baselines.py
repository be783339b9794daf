"""Baseline views: the least a Django view must do for the same response, measured beside ours in the same run."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_POST

from accounts.models import Organization
from bench.models import BaselineRow
from certificates.models import Certificate
from schools.models import SchoolClass, StudentProfile

# Scenario 1 and 6 put the HTML our page produced here, so that the bare view returns the very same bytes.
STORED_HTML: dict[str, str] = {}


def bare_lesson(request: HttpRequest) -> HttpResponse:
    return HttpResponse(STORED_HTML["lesson"])


@login_required
@ensure_csrf_cookie
def post_form(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


@login_required
@require_POST
def minimal_post(request: HttpRequest) -> JsonResponse:
    """CSRF-protected (the middleware), logged in, one row written."""
    row = BaselineRow.objects.create(user=request.user, payload=request.POST.get("payload", ""))
    return JsonResponse({"id": row.pk})


def bare_verify(request: HttpRequest, code: str) -> HttpResponse:
    """One lookup by code, then the same HTML as the real verify page, stored (it cannot differ by certificate)."""
    if not Certificate.objects.filter(verification_code=code).exists():
        raise Http404
    return HttpResponse(STORED_HTML["verify"])


def rendering_verify(request: HttpRequest, code: str) -> HttpResponse:
    """The textbook view for the same page: get the certificate by its code (404 if unknown) and render the same
    template. No rate limit, no expiry check, no re-issue link."""
    certificate = get_object_or_404(Certificate, verification_code=code)
    return render(
        request,
        "certificates/verify.html",
        {"certificate": certificate, "c": certificate.context, "status": certificate.status, "successor_url": ""},
    )


@login_required
def plain_students(request: HttpRequest, slug: str) -> HttpResponse:
    """The coordinator's student list without the permission check: a plain filter on the organisation."""
    organization = get_object_or_404(Organization, slug=slug)
    students = StudentProfile.objects.filter(organization=organization).select_related("user", "school_class")
    page = Paginator(students.order_by("school_class__name", "student_number"), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "schools/roster.html",
        {
            "organization": organization,
            "page": page,
            "classes": SchoolClass.objects.filter(organization=organization),
            "q": "",
            "selected_class": "",
        },
    )
