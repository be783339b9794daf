"""The compliance report with its per-class SVG chart, and the streamed CSV/XLSX exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.spreadsheets import csv_stream
from schools.forms import ReportFilterForm
from schools.selectors import compliance
from schools.views.common import organization_or_404, school_year_from, xlsx_response


def _report_filters(request: HttpRequest) -> dict[str, str]:
    status = request.GET.get("status", "")
    school_class = request.GET.get("school_class", "")
    return {
        "school_class_id": school_class if (school_class.isdigit() or school_class == "none") else "",
        "status": status if status in compliance.STATUS_LABELS else "",
        "search": request.GET.get("q", "").strip()[:64],
    }


CHART_LABEL_WIDTH = 150
CHART_BAR_WIDTH = 400
CHART_ROW_HEIGHT = 40


def _chart(classes: list[compliance.ClassSummary]) -> dict:
    """Geometry of the server-rendered SVG bar chart: one stacked bar (met, at risk, not met) per class."""
    rows = []
    for index, summary in enumerate(classes):
        scale = CHART_BAR_WIDTH / summary.total if summary.total else 0
        met = round(summary.met * scale, 1)
        at_risk = round(summary.at_risk * scale, 1)
        not_met = round(summary.not_met * scale, 1)
        rows.append(
            {
                "summary": summary,
                "y": 10 + index * CHART_ROW_HEIGHT,
                "text_y": 10 + index * CHART_ROW_HEIGHT + 17,
                "met_width": met,
                "at_risk_x": CHART_LABEL_WIDTH + met,
                "at_risk_width": at_risk,
                "not_met_x": CHART_LABEL_WIDTH + met + at_risk,
                "not_met_width": not_met,
            }
        )
    return {
        "rows": rows,
        "height": 20 + CHART_ROW_HEIGHT * len(rows),
        "width": CHART_LABEL_WIDTH + CHART_BAR_WIDTH + 10,
        "label_width": CHART_LABEL_WIDTH,
        "bar_width": CHART_BAR_WIDTH,
        "count_x": CHART_LABEL_WIDTH + 6,
    }


@login_required
@require_GET
def compliance_report(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_or_404(request, slug, "view_reports")
    year = school_year_from(request)
    filters = _report_filters(request)
    report = compliance.compliance_report(
        organization=organization, school_year=year, page_number=request.GET.get("page", 1), **filters
    )
    form = ReportFilterForm(
        initial={
            "year": year,
            "school_class": filters["school_class_id"],
            "status": filters["status"],
            "q": filters["search"],
        },
        classes=report.school_classes,
        statuses=list(compliance.STATUS_LABELS.items()),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "schools/report.html",
        {
            "organization": organization,
            "report": report,
            "context": report.context,
            "school_year": year,
            "form": form,
            "status_labels": compliance.STATUS_LABELS,
            "query": query.urlencode(),
            "chart": _chart(report.classes),
        },
    )


@login_required
@require_GET
def compliance_export(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    organization = organization_or_404(request, slug, "view_reports")
    if file_format not in ("csv", "xlsx"):
        raise Http404
    year = school_year_from(request)
    context = compliance.compliance_context(organization=organization, school_year=year)
    rows = compliance.compliance_export_rows(context=context, **_report_filters(request))
    header = [str(name) for name in compliance.EXPORT_HEADER]
    file_name = f"compliance-{organization.slug}-{year}"
    if file_format == "csv":
        response = StreamingHttpResponse(csv_stream(header, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{file_name}.csv"'
        return response
    return xlsx_response(title=year, header=header, rows=rows, file_name=f"{file_name}.xlsx")
