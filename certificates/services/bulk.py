"""Bulk issuing: a job row with counts and failures, run by a Celery task one learner at a time; a job whose worker
died is resumed by a periodic task (ADR 0016)."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import user_can
from certificates.models import BulkIssueJob, BulkIssueJobStatus, CertificateDefinition, CertificateKind
from certificates.services.context import CertificateNotEarned
from certificates.services.issuing import certificate_issue, certificate_render_pdf

logger = logging.getLogger(__name__)

MAX_LEARNERS_PER_JOB = 5000
OUTCOME_COUNTERS = {"issued": "issued_count", "existing": "existing_count", "failed": "failed_count"}


@transaction.atomic
def bulk_issue_job_create(
    *, definition: CertificateDefinition, requested_by: User, learner_ids: list[int], parameters: dict
) -> BulkIssueJob:
    """Record a job and queue it after commit. Not idempotent: each call makes a job (re-running one is)."""
    if not user_can(requested_by, "issue_certificates", definition.issuer):
        raise PermissionDenied(_("Only the issuing organisation may issue these certificates."))
    if not definition.is_active:
        raise ValidationError(_("The certificate definition “%(title)s” is not active.") % {"title": definition.title})
    unique_ids = list(dict.fromkeys(int(learner_id) for learner_id in learner_ids))
    if not unique_ids:
        raise ValidationError({"learners": _("Choose at least one learner or a class.")})
    if len(unique_ids) > MAX_LEARNERS_PER_JOB:
        raise ValidationError(
            {"learners": _("At most %(count)s learners per job; split the list.") % {"count": MAX_LEARNERS_PER_JOB}}
        )
    job = BulkIssueJob.objects.create(
        definition=definition,
        requested_by=requested_by,
        learner_ids=unique_ids,
        parameters=parameters,
        total=len(unique_ids),
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from certificates.tasks import run_bulk_issue_job

    run_bulk_issue_job.delay(job_id)


def bulk_issue_job_run(*, job: BulkIssueJob, run_number: int | None = None) -> BulkIssueJob:
    """Issue what is missing for every learner of the job. Idempotent: a run first claims the job, so a repeated or
    stale message does nothing; a resumed run continues where the lost one stopped, and certificates issued earlier
    are returned, not issued again.

    run_number: the run a resume claimed for this message (bulk_issue_jobs_claim_stalled); without it the message
    starts a queued job, or resumes a stalled one (a message the broker gave back after its worker died).
    """
    run = _claim_run(job_id=job.pk, run_number=run_number)
    if run is None:
        job.refresh_from_db()
        return job
    job = run
    definition = CertificateDefinition.objects.select_related("issuer").get(pk=job.definition_id)
    learners = User.objects.in_bulk(job.learner_ids)
    failures: list[dict] = list(job.failures)
    for learner_id in job.learner_ids[job.processed :]:
        learner = learners.get(learner_id)
        outcome = "failed"
        if learner is None:
            failures.append({"learner_id": learner_id, "name": "", "reason": _("No such user.")})
        else:
            try:
                certificate, created = certificate_issue(
                    definition=definition,
                    learner=learner,
                    source=_source_for(definition=definition, learner=learner, parameters=job.parameters),
                    issued_by=job.requested_by,
                    bulk_job=job,
                )
                certificate_render_pdf(certificate=certificate)
                outcome = "issued" if created or _issued_by_this_run(certificate=certificate, job=job) else "existing"
            except (CertificateNotEarned, ValidationError) as error:
                failures.append(
                    {
                        "learner_id": learner_id,
                        "name": learner.display_name,
                        "volunteer_number": learner.volunteer_number,
                        "reason": "; ".join(error.messages),
                    }
                )
        counter = OUTCOME_COUNTERS[outcome]
        progressed = BulkIssueJob.objects.filter(pk=job.pk, run_number=job.run_number).update(
            processed=F("processed") + 1,
            **{counter: F(counter) + 1},
            failures=failures,
            last_progress_at=timezone.now(),
        )
        if not progressed:
            logger.info("bulk job %s: run %s stops, a later run took the job over", job.pk, job.run_number)
            break
    else:
        BulkIssueJob.objects.filter(pk=job.pk, run_number=job.run_number).update(
            status=BulkIssueJobStatus.DONE, finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job


def _claim_run(*, job_id: int, run_number: int | None) -> BulkIssueJob | None:
    """The job, claimed for this run, or None when the message has nothing to do.

    Claims are compare-and-set UPDATEs on run_number (the row count decides), so of two messages or two beats only
    one gets a run, and a run knows its number without reading it back.
    """
    job = BulkIssueJob.objects.filter(pk=job_id).first()
    if job is None:
        return None
    if run_number is not None:
        return job if job.status == BulkIssueJobStatus.RUNNING and job.run_number == run_number else None
    if job.status == BulkIssueJobStatus.QUEUED:
        now = timezone.now()
        claimed = BulkIssueJob.objects.filter(
            pk=job.pk, status=BulkIssueJobStatus.QUEUED, run_number=job.run_number
        ).update(
            status=BulkIssueJobStatus.RUNNING,
            run_number=job.run_number + 1,
            started_at=now,
            last_progress_at=now,
            finished_at=None,
            processed=0,
            issued_count=0,
            existing_count=0,
            failed_count=0,
            failures=[],
        )
    elif job.status == BulkIssueJobStatus.RUNNING:
        claimed = _claim_stalled(job_id=job.pk, run_number=job.run_number)
    else:
        return None  # done: a message repeated after the end
    if not claimed:
        return None
    claimed_job = BulkIssueJob.objects.get(pk=job.pk)
    # Between the claim and this read yet another claim may have taken the job: then this run is already over.
    return claimed_job if claimed_job.run_number == job.run_number + 1 else None


def _stalled() -> Q:
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.CERTIFICATES_BULK_STALL_SECONDS)
    return Q(status=BulkIssueJobStatus.RUNNING) & (Q(last_progress_at__lt=cutoff) | Q(last_progress_at__isnull=True))


def _claim_stalled(*, job_id: int, run_number: int) -> bool:
    """Take a stalled run's job for run run_number + 1; refreshing the heartbeat makes the next look find it alive."""
    claimed = (
        BulkIssueJob.objects.filter(_stalled(), pk=job_id, run_number=run_number).update(
            run_number=run_number + 1, last_progress_at=timezone.now(), resumed_count=F("resumed_count") + 1
        )
        == 1
    )
    if claimed:
        logger.warning("bulk job %s: run %s stalled, resumed as run %s", job_id, run_number, run_number + 1)
    return claimed


def _issued_by_this_run(*, certificate, job: BulkIssueJob) -> bool:
    """A certificate the lost run issued before it died counts as issued by the job, not as one found existing."""
    return certificate.bulk_job_id == job.pk and job.started_at is not None and certificate.issued_at >= job.started_at


def bulk_issue_jobs_claim_stalled() -> list[tuple[int, int]]:
    """Claim every running job without progress for CERTIFICATES_BULK_STALL_SECONDS: (job id, new run number) each.
    Exactly once per stall: a claim that another beat or message made first finds no row."""
    candidates = BulkIssueJob.objects.filter(_stalled()).values_list("pk", "run_number")
    return [(job_id, run + 1) for job_id, run in candidates if _claim_stalled(job_id=job_id, run_number=run)]


def bulk_issue_jobs_resume_stalled() -> int:
    """Claim the stalled jobs and queue a run of each (it continues where the lost run stopped). Idempotent."""
    from certificates.tasks import run_bulk_issue_job

    claimed = bulk_issue_jobs_claim_stalled()
    for job_id, run_number in claimed:
        run_bulk_issue_job.delay(job_id, run_number)
    return len(claimed)


def _source_for(*, definition: CertificateDefinition, learner: User, parameters: dict) -> dict:
    """Course and curriculum certificates name the learner's own completion; the others share the job's parameters."""
    if definition.kind == CertificateKind.COURSE:
        from courses.models import CourseCompletion

        completion_id = (
            CourseCompletion.objects.filter(user=learner, course_id=definition.course_id)
            .values_list("pk", flat=True)
            .first()
        )
        return {"completion_id": completion_id}
    if definition.kind == CertificateKind.CURRICULUM:
        return {"curriculum_id": definition.curriculum_id}
    return parameters


@transaction.atomic
def bulk_issue_job_rerun(*, job: BulkIssueJob, requested_by: User) -> BulkIssueJob:
    """Queue the job again; it completes only what is missing (a run still going stops at its next progress).
    Idempotent in effect."""
    if not user_can(requested_by, "issue_certificates", job.definition.issuer):
        raise PermissionDenied(_("Only the issuing organisation may issue these certificates."))
    # A new run number ends a run still going (its next progress finds the number changed) before the new one starts.
    BulkIssueJob.objects.filter(pk=job.pk).update(status=BulkIssueJobStatus.QUEUED, run_number=F("run_number") + 1)
    transaction.on_commit(lambda: _enqueue(job.pk))
    job.refresh_from_db()
    return job
