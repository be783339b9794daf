"""Celery tasks: take ids, load, call a service. All idempotent; acks_late + reject_on_worker_lost redeliver a
task whose worker died, and the unique constraints make the replay harmless."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from .models import BulkIssueJob, Certificate

TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task(**TASK_OPTIONS)
def issue_for_completion(completion_id: int) -> list[int]:
    from courses.models import CourseCompletion

    from .services import certificate_issue_for_completion, certificate_render_pdf

    completion = CourseCompletion.objects.select_related("course", "user").filter(pk=completion_id).first()
    if completion is None:
        return []
    certificates = certificate_issue_for_completion(completion=completion)
    for certificate in certificates:
        certificate_render_pdf(certificate=certificate)
    return [certificate.pk for certificate in certificates]


@shared_task(**TASK_OPTIONS)
def render_pdf(certificate_id: int) -> int | None:
    from .services import certificate_render_pdf

    certificate = Certificate.objects.select_related("definition").filter(pk=certificate_id).first()
    if certificate is None:
        return None
    certificate_render_pdf(certificate=certificate)
    return certificate.pk


@shared_task(**TASK_OPTIONS)
def run_bulk_issue_job(job_id: int) -> int | None:
    from .services import bulk_issue_job_run

    job = BulkIssueJob.objects.filter(pk=job_id).first()
    if job is None:
        return None
    return bulk_issue_job_run(job=job).processed


@shared_task(**TASK_OPTIONS)
def expire_due() -> int:
    from .services import certificates_expire_due

    return certificates_expire_due()


@shared_task(**TASK_OPTIONS)
def evaluate_badges(
    learner_id: int,
    course_ids: list[int] | None = None,
    rubric_ids: list[int] | None = None,
    quiz_ids: list[int] | None = None,
) -> list[int]:
    from lms.accounts.models import User

    from .services import badges_evaluate_for_learner

    learner = User.objects.filter(pk=learner_id).first()
    if learner is None:
        return []
    awards = badges_evaluate_for_learner(
        learner=learner, course_ids=course_ids or (), rubric_ids=rubric_ids or (), quiz_ids=quiz_ids or ()
    )
    return [award.pk for award in awards]


@shared_task(**TASK_OPTIONS)
def send_badge_expiry_reminders() -> int:
    from .services import badge_expiry_reminders_send

    return badge_expiry_reminders_send()
