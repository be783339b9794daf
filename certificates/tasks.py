"""Celery tasks: take ids, load, call a service. All idempotent; acks_late + reject_on_worker_lost redeliver a
task whose worker died, and the unique constraints make the replay harmless."""

from __future__ import annotations

from celery import shared_task

from certificates.models import BulkIssueJob, Certificate
from core.tasks import IDEMPOTENT_TASK


@shared_task(**IDEMPOTENT_TASK)
def issue_for_completion(completion_id: int) -> list[int]:
    from certificates.services import certificate_issue_for_completion, certificate_render_pdf
    from courses.models import CourseCompletion

    completion = CourseCompletion.objects.select_related("course", "user").filter(pk=completion_id).first()
    if completion is None:
        return []
    certificates = certificate_issue_for_completion(completion=completion)
    for certificate in certificates:
        certificate_render_pdf(certificate=certificate)
    return [certificate.pk for certificate in certificates]


@shared_task(**IDEMPOTENT_TASK)
def render_pdf(certificate_id: int) -> int | None:
    from certificates.services import certificate_render_pdf

    certificate = Certificate.objects.select_related("definition").filter(pk=certificate_id).first()
    if certificate is None:
        return None
    certificate_render_pdf(certificate=certificate)
    return certificate.pk


@shared_task(**IDEMPOTENT_TASK)
def run_bulk_issue_job(job_id: int, run_number: int | None = None) -> int | None:
    from certificates.services import bulk_issue_job_run

    job = BulkIssueJob.objects.filter(pk=job_id).first()
    if job is None:
        return None
    return bulk_issue_job_run(job=job, run_number=run_number).processed


@shared_task(**IDEMPOTENT_TASK)
def resume_stalled_jobs() -> int:
    """Every minute (beat): bulk jobs whose worker died are resumed, each once."""
    from certificates.services import bulk_issue_jobs_resume_stalled

    return bulk_issue_jobs_resume_stalled()


@shared_task(**IDEMPOTENT_TASK)
def render_missing_pdfs() -> int:
    """Every minute (beat): certificates left without a PDF are rendered, each once."""
    from certificates.services import certificates_render_missing_pdfs

    return certificates_render_missing_pdfs()


@shared_task(**IDEMPOTENT_TASK)
def expire_due() -> int:
    from certificates.services import certificates_expire_due

    return certificates_expire_due()
