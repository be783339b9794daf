"""Bulk issuing: a job row with counts and failures, run by a Celery task one learner at a time."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import user_can
from certificates.models import BulkIssueJob, BulkIssueJobStatus, CertificateDefinition, CertificateKind
from certificates.services.context import CertificateNotEarned
from certificates.services.issuing import certificate_issue, certificate_render_pdf

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


def bulk_issue_job_run(*, job: BulkIssueJob) -> BulkIssueJob:
    """Issue what is missing for every learner of the job. Idempotent: a re-run (or a redelivered task) counts
    certificates issued earlier as existing and retries only the failures."""
    BulkIssueJob.objects.filter(pk=job.pk).update(
        status=BulkIssueJobStatus.RUNNING,
        started_at=timezone.now(),
        finished_at=None,
        processed=0,
        issued_count=0,
        existing_count=0,
        failed_count=0,
        failures=[],
    )
    definition = CertificateDefinition.objects.select_related("issuer").get(pk=job.definition_id)
    learners = User.objects.in_bulk(job.learner_ids)
    failures: list[dict] = []
    for learner_id in job.learner_ids:
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
                outcome = "issued" if created else "existing"
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
        BulkIssueJob.objects.filter(pk=job.pk).update(
            processed=F("processed") + 1, **{counter: F(counter) + 1}, failures=failures
        )
    BulkIssueJob.objects.filter(pk=job.pk).update(status=BulkIssueJobStatus.DONE, finished_at=timezone.now())
    job.refresh_from_db()
    return job


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
    """Queue the job again; it completes only what is missing. Idempotent in effect."""
    if not user_can(requested_by, "issue_certificates", job.definition.issuer):
        raise PermissionDenied(_("Only the issuing organisation may issue these certificates."))
    BulkIssueJob.objects.filter(pk=job.pk).update(status=BulkIssueJobStatus.QUEUED)
    transaction.on_commit(lambda: _enqueue(job.pk))
    job.refresh_from_db()
    return job
