"""Roster import: upload, preview with per-row errors, confirm or discard, the template."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.spreadsheets import csv_stream
from schools.forms import RosterUploadForm
from schools.models import RosterImport
from schools.services import roster
from schools.views.common import organization_or_404, xlsx_response


@login_required
@require_http_methods(["GET", "POST"])
def roster_import_upload(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_or_404(request, slug, "manage_students")
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record, _validation = roster.roster_import_preview(
                organization=organization, uploaded_by=request.user, data=upload.read(), file_name=upload.name
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            return redirect("schools:school_roster_import", slug=organization.slug, import_id=record.pk)
    history = RosterImport.objects.filter(organization=organization).select_related("uploaded_by")[:20]
    return render(
        request,
        "schools/roster_upload.html",
        {"organization": organization, "form": form, "history": history},
        status=400 if request.method == "POST" else 200,
    )


def _roster_import(request: HttpRequest, slug: str, import_id: int) -> RosterImport:
    organization = organization_or_404(request, slug, "manage_students")
    return get_object_or_404(
        RosterImport.objects.select_related("organization", "uploaded_by"), pk=import_id, organization=organization
    )


@login_required
@require_GET
def roster_import_detail(request: HttpRequest, slug: str, import_id: int) -> HttpResponse:
    record = _roster_import(request, slug, import_id)
    validation = None
    earlier = None
    if record.status == RosterImport.Status.PREVIEWED:
        validation = roster.roster_import_validation(roster_import=record)
        earlier = (
            RosterImport.objects.filter(
                organization=record.organization, file_hash=record.file_hash, status=RosterImport.Status.IMPORTED
            )
            .exclude(pk=record.pk)
            .first()
        )
    return render(
        request,
        "schools/roster_preview.html",
        {"organization": record.organization, "record": record, "validation": validation, "earlier": earlier},
    )


@login_required
@require_POST
def roster_import_confirm(request: HttpRequest, slug: str, import_id: int) -> HttpResponse:
    record = _roster_import(request, slug, import_id)
    record = roster.roster_import_confirm(roster_import=record, confirmed_by=request.user)
    messages.success(
        request,
        _("Imported: %(created)d new students, %(unchanged)d already on the roster, %(errors)d rows skipped.")
        % {"created": record.created_count, "unchanged": record.unchanged_count, "errors": record.error_rows},
    )
    return redirect("schools:school_roster_import", slug=slug, import_id=record.pk)


@login_required
@require_POST
def roster_import_cancel(request: HttpRequest, slug: str, import_id: int) -> HttpResponse:
    record = _roster_import(request, slug, import_id)
    roster.roster_import_cancel(roster_import=record)
    messages.info(request, _("The upload was discarded; nothing was imported."))
    return redirect("schools:school_roster_upload", slug=slug)


@login_required
@require_GET
def roster_template(request: HttpRequest, file_format: str) -> HttpResponse:
    if file_format not in ("csv", "xlsx"):
        raise Http404
    header = list(roster.ROSTER_COLUMNS.values())
    if file_format == "csv":
        response = HttpResponse(
            "".join(csv_stream(header, roster.ROSTER_EXAMPLE_ROWS)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="roster-template.csv"'
        return response
    return xlsx_response(
        title="roster", header=header, rows=roster.ROSTER_EXAMPLE_ROWS, file_name="roster-template.xlsx"
    )
