"""Helpers shared by the school pages: the organisation from the URL (checked, else 404) and XLSX responses."""

from __future__ import annotations

import tempfile

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404

from accounts.constants import OrganizationKind
from accounts.models import Organization
from accounts.permissions import user_can
from core.school_years import current_school_year, is_school_year_name
from core.spreadsheets import xlsx_write

EDUCATIONAL_KINDS = (OrganizationKind.COLLEGE, OrganizationKind.SCHOOL)


def organization_or_404(request: HttpRequest, slug: str, action: str, *, educational: bool = True) -> Organization:
    organization = get_object_or_404(Organization.objects.select_related("parent"), slug=slug)
    if educational and organization.kind not in EDUCATIONAL_KINDS:
        raise Http404
    if not user_can(request.user, action, organization):
        raise Http404
    return organization


def school_year_from(request: HttpRequest) -> str:
    year = request.GET.get("year", "")
    return year if is_school_year_name(year) else current_school_year()


def service_errors(error: ValidationError) -> list[str]:
    return list(error.messages)


def xlsx_response(*, title: str, header: list, rows, file_name: str) -> FileResponse:
    # openpyxl's write-only mode keeps rows on disk; the finished file is streamed from a temporary file.
    target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after streaming
    xlsx_write(target, title=title, header=[str(name) for name in header], rows=rows)
    target.seek(0)
    return FileResponse(
        target,
        as_attachment=True,
        filename=file_name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
