"""Thin views: the public verify page, learners' downloads, issuers' lists, export, revocation and bulk issuing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import get_object_for_user_or_404, user_can
from certificates import selectors, services
from certificates.forms import BulkIssueForm, CertificateFilterForm, ReasonForm
from certificates.models import BulkIssueJob, Certificate, CertificateEvent
from certificates.rendering import verify_url
from core.ratelimit import Guard, RateLimited
from core.spreadsheets import csv_stream


@never_cache
@require_GET
def verify(request, code: str):
    # Unknown codes count against the client's address (core.ratelimit); a found certificate does not, so a class
    # checking its own certificates from one address is never slowed down.
    guard = Guard("verify", request=request)
    try:
        guard.begin()
    except RateLimited as error:
        response = render(request, "certificates/verify_limited.html", status=429)
        response["Retry-After"] = str(error.retry_after)
        return response
    certificate = selectors.certificate_for_verification(code=code)
    if certificate is None:
        raise Http404
    guard.succeeded()
    successor = certificate.successor
    return render(
        request,
        "certificates/verify.html",
        {
            "certificate": certificate,
            "c": certificate.context,
            "status": certificate.current_status(),
            "successor_url": verify_url(successor.verification_code) if successor else "",
        },
    )


@login_required
@require_GET
def my_certificates(request):
    certificates = list(selectors.certificates_for_learner(user=request.user))
    return render(request, "certificates/my_certificates.html", {"certificates": certificates})


@login_required
@require_GET
def download(request, pk: int):
    certificate = get_object_for_user_or_404(
        request.user, "view", Certificate.objects.select_related("definition", "definition__issuer"), pk=pk
    )
    if certificate.learner_id != request.user.pk and not user_can(request.user, "issue_certificates", certificate):
        raise Http404
    # A PDF lost with a crashed worker or a storage move is rendered again on demand.
    certificate = services.certificate_render_pdf(certificate=certificate)
    response = FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"{certificate.number}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _issuer_or_404(request) -> None:
    if not selectors.issuer_organizations(user=request.user).exists():
        raise Http404


def _filtered(request):
    definitions = list(selectors.definitions_for_issuer(user=request.user))
    form = CertificateFilterForm(request.GET or None, definitions=definitions)
    filters = selectors.CertificateFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.CertificateFilters(
            status=data["status"],
            definition_id=data["definition"],
            query=data["q"],
            issued_from=data["issued_from"],
            issued_to=data["issued_to"],
        )
    return form, selectors.certificates_for_issuer(user=request.user, filters=filters)


@login_required
@require_GET
def issued_list(request):
    _issuer_or_404(request)
    form, certificates = _filtered(request)
    page = Paginator(certificates, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "certificates/issued_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "jobs": selectors.bulk_jobs_for_user(user=request.user)[:5],
        },
    )


@login_required
@require_GET
def issued_export(request):
    """CSV of the filtered list; keyed by volunteer number, names as issued, no ID numbers (docs/domain.md)."""
    _issuer_or_404(request)
    _form, certificates = _filtered(request)
    rows = selectors.certificate_export_rows(certificates, verify_url=verify_url)
    response = StreamingHttpResponse(csv_stream(selectors.EXPORT_COLUMNS, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="certificates-{timezone.localdate():%Y%m%d}.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def issued_detail(request, pk: int):
    certificate = get_object_for_user_or_404(
        request.user,
        "issue_certificates",
        Certificate.objects.select_related("definition", "issuer", "learner", "replaces").prefetch_related(
            Prefetch("events", queryset=CertificateEvent.objects.select_related("actor"))
        ),
        pk=pk,
    )
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        try:
            if action == "revoke":
                services.certificate_revoke(
                    certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("The certificate is revoked."))
            elif action == "reissue":
                new = services.certificate_reissue(
                    certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("Re-issued as %(number)s.") % {"number": new.number})
                return redirect("certificates:issued_detail", pk=new.pk)
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        except PermissionDenied as error:
            raise Http404 from error
        else:
            return redirect("certificates:issued_detail", pk=certificate.pk)
    successor = Certificate.objects.filter(replaces=certificate).only("pk", "number").first()
    return render(
        request,
        "certificates/issued_detail.html",
        {
            "certificate": certificate,
            "form": form,
            "successor": successor,
            "verify_url": verify_url(certificate.verification_code),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def bulk_issue(request):
    _issuer_or_404(request)
    definitions = list(selectors.definitions_for_issuer(user=request.user))
    school_classes = list(selectors.school_classes_for_issuer(user=request.user))
    form = BulkIssueForm(request.POST or None, definitions=definitions, school_classes=school_classes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        definition = data["definition_object"]
        choice = selectors.BulkRecipientChoice(
            identifiers=data["identifiers"],
            school_class=data["school_class_object"],
            all_students=data["all_students"],
            all_completers=data["all_completers"],
        )
        learner_ids, unknown = selectors.bulk_issue_recipients(definition=definition, choice=choice)
        if unknown:
            form.add_error(
                "identifiers", _("Unknown volunteer numbers or usernames: %(list)s") % {"list": ", ".join(unknown)}
            )
        else:
            parameters = selectors.bulk_issue_parameters(
                definition=definition,
                school_year=data["school_year"],
                period_start=data["period_start"],
                period_end=data["period_end"],
            )
            try:
                job = services.bulk_issue_job_create(
                    definition=definition, requested_by=request.user, learner_ids=learner_ids, parameters=parameters
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            except PermissionDenied as error:
                raise Http404 from error
            else:
                return redirect("certificates:bulk_job", pk=job.pk)
    return render(
        request, "certificates/bulk_issue.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


@never_cache
@login_required
@require_GET
def bulk_job(request, pk: int):
    job = get_object_for_user_or_404(
        request.user,
        "issue_certificates",
        BulkIssueJob.objects.select_related("definition", "definition__issuer"),
        pk=pk,
    )
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "status": job.status,
                "total": job.total,
                "processed": job.processed,
                "issued": job.issued_count,
                "existing": job.existing_count,
                "failed": job.failed_count,
                "percent": job.percent,
            }
        )
    return render(request, "certificates/bulk_job.html", {"job": job})


@login_required
@require_POST
def bulk_job_rerun(request, pk: int):
    job = get_object_for_user_or_404(
        request.user,
        "issue_certificates",
        BulkIssueJob.objects.select_related("definition", "definition__issuer"),
        pk=pk,
    )
    services.bulk_issue_job_rerun(job=job, requested_by=request.user)
    messages.success(request, _("The job runs again and completes only what is missing."))
    return redirect("certificates:bulk_job", pk=job.pk)
