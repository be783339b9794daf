"""A real worker is SIGKILLed in the middle of rendering a certificate; after a restart it exists exactly once.

The rendering service's test-only hold (certificates.rendering.TEST_RENDER_HOLD_ENV) makes the kill land
deterministically after the certificate row is committed and before its PDF is stored. Without the periodic tasks
the lost work waits for the broker's visibility timeout (an hour); with them a bulk job is resumed, and a PDF
rendered, as soon as the stall time has passed (ADR 0016).
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connections

from certificates.models import BulkIssueJob, Certificate, CertificateEvent, CertificateKind, CertificateNumberCounter
from certificates.rendering import TEST_RENDER_HOLD_ENV
from certificates.services import bulk_issue_job_create
from certificates.tasks import render_missing_pdfs, resume_stalled_jobs
from tests.certificates.factories import CertificateDefinitionFactory, complete, course_with_definition, practice_hours
from tests.factories import UserFactory

pytestmark = pytest.mark.integration


def _wait_for(predicate, *, timeout: float, what: str, worker) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}; worker log:\n{worker.log()}")


def test_a_worker_killed_while_rendering_leaves_exactly_one_certificate(
    celery_worker_process, cast, tmp_path, monkeypatch
):
    hold = tmp_path / "render-hold"
    hold.write_text("hold")
    monkeypatch.setenv(TEST_RENDER_HOLD_ENV, str(hold))
    celery_worker_process.stop()
    celery_worker_process.start()  # now with the hold

    _curriculum, course, _definition = course_with_definition(cast.base_x)
    complete(cast.learner, course)  # course_completed -> on commit -> the issuing task on the real worker

    reached = tmp_path / "render-hold.reached"
    _wait_for(reached.exists, timeout=120, what="the worker to start rendering", worker=celery_worker_process)
    certificate = Certificate.objects.get(learner=cast.learner)
    assert not certificate.pdf  # committed, not yet rendered

    celery_worker_process.kill()  # SIGKILL the worker's process group, mid-render

    # The restarted worker redelivers the unacknowledged task (acks_late + reject_on_worker_lost) at once.
    hold.unlink()
    monkeypatch.delenv(TEST_RENDER_HOLD_ENV)
    monkeypatch.setenv("CELERY_VISIBILITY_TIMEOUT", "1")
    time.sleep(1.1)  # the message must be older than the visibility timeout to be restored
    celery_worker_process.start()

    def rendered() -> bool:
        return bool(Certificate.objects.filter(learner=cast.learner).exclude(pdf="").exists())

    _wait_for(rendered, timeout=120, what="the redelivered task to render the PDF", worker=celery_worker_process)
    certificates = list(Certificate.objects.filter(learner=cast.learner))
    assert len(certificates) == 1
    assert certificates[0].pk == certificate.pk
    assert certificates[0].pdf.storage.exists(certificates[0].pdf.name)
    assert CertificateNumberCounter.objects.get(issuer=cast.base_x).last_number == 1  # no number lost or doubled
    assert CertificateEvent.objects.filter(certificate=certificate, action="issued").count() == 1


STALL_SECONDS = 3


def _restart_with_hold(worker, monkeypatch, hold, *, passing: int | None = None) -> None:
    hold.write_text(str(passing) if passing is not None else "hold")
    monkeypatch.setenv(TEST_RENDER_HOLD_ENV, str(hold))
    worker.stop()
    worker.start()


def _restart_without_hold(worker, monkeypatch, hold) -> None:
    """The worker comes back; the killed task's message stays with the broker for its visibility timeout (an hour)."""
    hold.unlink()
    monkeypatch.delenv(TEST_RENDER_HOLD_ENV)
    worker.start()


def _at_once(function, times: int) -> list:
    """Call function from `times` threads released together (two beats firing at the same moment)."""
    barrier = threading.Barrier(times)
    results: list = []

    def call():
        try:
            barrier.wait()
            results.append(function())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=call) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_a_bulk_job_whose_worker_was_killed_is_resumed_once_and_finishes(
    celery_worker_process, cast, tmp_path, monkeypatch, settings
):
    definition = CertificateDefinitionFactory(
        kind=CertificateKind.SCHOOL_YEAR, course=None, issuer=cast.school_a, title="学年学时证明", number_prefix="AXN"
    )
    students = [UserFactory(real_name=f"学生{n}") for n in range(5)]
    for student in students:
        practice_hours(student, organization=cast.school_a, minutes=120, source=f"p-{student.pk}")
    hold = tmp_path / "render-hold"
    _restart_with_hold(celery_worker_process, monkeypatch, hold, passing=2)  # dies rendering the third learner's PDF

    job = bulk_issue_job_create(
        definition=definition,
        requested_by=cast.coordinator_a,
        learner_ids=[student.pk for student in students],
        parameters={"school_year": "2026-2027"},
    )  # committed at once (transactional test): the job's task goes to the real worker
    reached = tmp_path / "render-hold.reached"
    _wait_for(reached.exists, timeout=120, what="the worker to reach the third learner", worker=celery_worker_process)
    job.refresh_from_db()
    assert (job.status, job.processed, job.issued_count) == ("running", 2, 2)
    assert Certificate.objects.filter(bulk_job=job).count() == 3
    assert Certificate.objects.filter(bulk_job=job, pdf="").count() == 1

    celery_worker_process.kill()  # SIGKILL the worker's process group, mid-job
    _restart_without_hold(celery_worker_process, monkeypatch, hold)
    settings.CERTIFICATES_BULK_STALL_SECONDS = STALL_SECONDS
    time.sleep(STALL_SECONDS + 0.5)

    assert sorted(_at_once(resume_stalled_jobs, 2)) == [0, 1]  # two beats at once: one resumes the job
    assert resume_stalled_jobs() == 0  # a second resume does nothing: the claim refreshed the heartbeat

    def done() -> bool:
        return BulkIssueJob.objects.filter(pk=job.pk, status="done").exists()

    _wait_for(done, timeout=180, what="the resumed job to finish", worker=celery_worker_process)
    job.refresh_from_db()
    assert (job.processed, job.issued_count, job.existing_count, job.failed_count) == (5, 5, 0, 0)
    assert (job.resumed_count, job.run_number) == (1, 2)
    certificates = list(Certificate.objects.filter(bulk_job=job))
    assert sorted(certificate.learner_id for certificate in certificates) == sorted(s.pk for s in students)
    assert all(certificate.pdf and certificate.pdf.storage.exists(certificate.pdf.name) for certificate in certificates)
    assert CertificateNumberCounter.objects.get(issuer=cast.school_a).last_number == 5  # no number lost or doubled
    assert CertificateEvent.objects.filter(certificate__bulk_job=job, action="issued").count() == 5

    time.sleep(STALL_SECONDS + 0.5)
    assert resume_stalled_jobs() == 0  # finished jobs are never resumed
    job.refresh_from_db()
    assert (job.resumed_count, job.run_number) == (1, 2)


def test_a_pdf_lost_with_a_killed_worker_is_rendered_by_the_sweeper(
    celery_worker_process, cast, tmp_path, monkeypatch, settings
):
    hold = tmp_path / "render-hold"
    _restart_with_hold(celery_worker_process, monkeypatch, hold)
    _curriculum, course, _definition = course_with_definition(cast.base_x)
    complete(cast.learner, course)  # course_completed -> on commit -> the issuing task on the real worker
    reached = tmp_path / "render-hold.reached"
    _wait_for(reached.exists, timeout=120, what="the worker to start rendering", worker=celery_worker_process)
    certificate = Certificate.objects.get(learner=cast.learner)

    celery_worker_process.kill()
    _restart_without_hold(celery_worker_process, monkeypatch, hold)
    settings.CERTIFICATES_PDF_SWEEP_SECONDS = STALL_SECONDS
    time.sleep(STALL_SECONDS + 0.5)
    assert sorted(_at_once(render_missing_pdfs, 2)) == [0, 1]  # claimed once, rendered once

    def rendered() -> bool:
        return Certificate.objects.filter(pk=certificate.pk).exclude(pdf="").exists()

    _wait_for(rendered, timeout=120, what="the sweeper's rendering", worker=celery_worker_process)
    certificate.refresh_from_db()
    assert certificate.pdf.storage.exists(certificate.pdf.name)
    assert render_missing_pdfs() == 0
    assert CertificateEvent.objects.filter(certificate=certificate, action="rendered").count() == 1
    assert Certificate.objects.filter(learner=cast.learner).count() == 1
