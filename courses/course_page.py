"""The public course page with the learner's actions (enrol, continue, prerequisites missing) filled in.

content's CoursePage template leaves a `course_actions` block; a `before_serve_page` hook (wagtail_hooks.py) serves
course pages through courses/course_page.html, which extends it. Anonymous visitors cost no extra query."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.response import TemplateResponse

from content.models import CoursePage
from courses.models import CourseCompletion, Enrollment, EnrollmentStatus
from courses.selectors.learners import missing_prerequisites


def serve_course_page(page: CoursePage, request: HttpRequest) -> TemplateResponse:
    context = page.get_context(request)
    user = request.user
    if user.is_authenticated:
        context["enrollment"] = (
            Enrollment.objects.filter(
                user=user, course=page, status__in=[EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED]
            )
            .order_by("-pk")
            .first()
        )
        context["completion"] = CourseCompletion.objects.filter(user=user, course=page).first()
        if context["enrollment"] is None:
            context["missing_prerequisites"] = missing_prerequisites(user=user, course=page)
    return TemplateResponse(request, "courses/course_page.html", context)
