"""A bulk job whose worker died is resumed by the periodic task, once; a certificate left without a PDF is rendered by
the sweeper or on its first download, once.

A worker killed mid-job is simulated here by an exception no handler catches (BaseException), raised while the
second learner's PDF renders: the first learner is done and counted, the second issued without a PDF, the job left
running. tests/integration/test_certificates_worker_crash.py does the same with a real worker and SIGKILL.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates import tasks
from certificates.models import BulkIssueJob, Certificate, CertificateEvent, CertificateKind
from certificates.services import bulk as bulk_service
from certificates.services import (
    bulk_issue_job_create,
    bulk_issue_job_rerun,
    bulk_issue_job_run,
    bulk_issue_jobs_claim_stalled,
    certificate_issue,
    certificates_claim_missing_pdfs,
)
from schools.models import SchoolClass, StudentProfile
from tests.certificates.factories import CertificateDefinitionFactory, practice_hours
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing in the job catches it."""


@pytest.fixture
def definition(cast):
    return CertificateDefinitionFactory(
        kind=CertificateKind.SCHOOL_YEAR, course=None, issuer=cast.school_a, title="学年学时证明", number_prefix="AXN"
    )


@pytest.fixture
def students(cast):
    school_class = SchoolClass.objects.create(organization=cast.school_a, name="一班")
    students = [UserFactory(real_name=f"学生{n}") for n in range(4)]
    for n, student in enumerate(students):
        StudentProfile.objects.create(
            user=student, organization=cast.school_a, student_number=f"S{n}", school_class=school_class
        )
    for student in students[:3]:
        practice_hours(student, organization=cast.school_a, minutes=120, source=f"p-{student.pk}")
    return students  # the last one has no hours: a failure the job lists


@pytest.fixture
def stall_seconds(settings):
    settings.CERTIFICATES_BULK_STALL_SECONDS = 120
    settings.CERTIFICATES_PDF_SWEEP_SECONDS = 300
    return 120


def _job(cast, definition, students) -> BulkIssueJob:
    return bulk_issue_job_create(
        definition=definition,
        requested_by=cast.coordinator_a,
        learner_ids=[student.pk for student in students],
        parameters={"school_year": "2026-2027"},
    )


def _kill_on_render(monkeypatch, *, at: int) -> None:
    """The worker dies while rendering the at-th PDF of the run (1-based)."""
    real = bulk_service.certificate_render_pdf
    calls = {"n": 0}

    def render(*, certificate, **kwargs):
        calls["n"] += 1
        if calls["n"] == at:
            raise WorkerKilled
        return real(certificate=certificate, **kwargs)

    monkeypatch.setattr(bulk_service, "certificate_render_pdf", render)


def _age(job: BulkIssueJob, seconds: int) -> None:
    BulkIssueJob.objects.filter(pk=job.pk).update(last_progress_at=timezone.now() - datetime.timedelta(seconds=seconds))


def _killed_mid_job(cast, definition, students, monkeypatch) -> BulkIssueJob:
    job = _job(cast, definition, students)
    _kill_on_render(monkeypatch, at=2)
    with pytest.raises(WorkerKilled):
        bulk_issue_job_run(job=job)
    monkeypatch.undo()
    job.refresh_from_db()
    assert (job.status, job.processed, job.issued_count) == ("running", 1, 1)
    assert Certificate.objects.filter(bulk_job=job).count() == 2
    assert Certificate.objects.filter(bulk_job=job, pdf="").count() == 1  # the second: issued, no PDF
    return job


def test_a_stalled_job_is_resumed_once_and_finishes(cast, definition, students, monkeypatch, stall_seconds):
    job = _killed_mid_job(cast, definition, students, monkeypatch)
    _age(job, stall_seconds + 1)

    assert tasks.resume_stalled_jobs() == 1  # claims the job and queues its run (eager here)

    job.refresh_from_db()
    assert (job.status, job.total, job.processed) == ("done", 4, 4)
    assert (job.issued_count, job.existing_count, job.failed_count) == (3, 0, 1)  # the interrupted one counts issued
    assert [failure["name"] for failure in job.failures] == ["学生3"]
    assert job.resumed_count == 1
    certificates = Certificate.objects.filter(bulk_job=job)
    assert sorted(certificates.values_list("learner_id", flat=True)) == sorted(s.pk for s in students[:3])
    assert all(certificate.pdf and certificate.pdf.storage.exists(certificate.pdf.name) for certificate in certificates)
    assert CertificateEvent.objects.filter(certificate__bulk_job=job, action="issued").count() == 3
    assert CertificateEvent.objects.filter(certificate__bulk_job=job, action="rendered").count() == 3

    assert tasks.resume_stalled_jobs() == 0  # done: nothing to resume
    _age(job, stall_seconds + 1)
    assert tasks.resume_stalled_jobs() == 0  # still nothing: done jobs are never resumed
    job.refresh_from_db()
    assert job.resumed_count == 1


def test_a_job_making_progress_is_left_alone(cast, definition, students, monkeypatch, stall_seconds):
    job = _killed_mid_job(cast, definition, students, monkeypatch)
    _age(job, stall_seconds - 10)
    assert tasks.resume_stalled_jobs() == 0
    job.refresh_from_db()
    assert (job.status, job.processed, job.resumed_count) == ("running", 1, 0)


def test_one_stall_is_claimed_once(cast, definition, students, monkeypatch, stall_seconds):
    job = _killed_mid_job(cast, definition, students, monkeypatch)
    _age(job, stall_seconds + 1)
    first = bulk_issue_jobs_claim_stalled()
    second = bulk_issue_jobs_claim_stalled()  # another beat, a moment later: the claim refreshed it
    assert [job_id for job_id, _run in first] == [job.pk]
    assert second == []
    job.refresh_from_db()
    assert (job.resumed_count, job.run_number) == (1, first[0][1])


def test_a_redelivered_message_does_not_run_a_job_another_run_holds(cast, definition, students, monkeypatch):
    job = _killed_mid_job(cast, definition, students, monkeypatch)  # progress is fresh: its run may be alive
    tasks.run_bulk_issue_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.processed) == ("running", 1)
    assert Certificate.objects.filter(bulk_job=job).count() == 2


def test_a_redelivered_message_resumes_a_stalled_job_without_the_beat(
    cast, definition, students, monkeypatch, stall_seconds
):
    job = _killed_mid_job(cast, definition, students, monkeypatch)
    _age(job, stall_seconds + 1)
    tasks.run_bulk_issue_job(job.pk)  # the broker gave the message back after its visibility timeout
    job.refresh_from_db()
    assert (job.status, job.processed, job.issued_count, job.resumed_count) == ("done", 4, 3, 1)


def test_a_message_of_an_older_run_does_nothing(cast, definition, students, monkeypatch, stall_seconds):
    job = _killed_mid_job(cast, definition, students, monkeypatch)
    old_run = job.run_number
    _age(job, stall_seconds + 1)
    [(_job_id, new_run)] = bulk_issue_jobs_claim_stalled()
    assert new_run == old_run + 1
    tasks.run_bulk_issue_job(job.pk, old_run)
    job.refresh_from_db()
    assert (job.status, job.processed) == ("running", 1)


def test_a_run_that_lost_its_job_stops(cast, definition, students, monkeypatch):
    """A run that was only slow, not dead, stops at its next progress once a resume took the job over."""
    job = _job(cast, definition, students)
    real = bulk_service.certificate_issue

    def issue_while_taken_over(**kwargs):
        BulkIssueJob.objects.filter(pk=job.pk).update(run_number=99)  # a resume claimed the job meanwhile
        return real(**kwargs)

    monkeypatch.setattr(bulk_service, "certificate_issue", issue_while_taken_over)
    bulk_issue_job_run(job=job)
    job.refresh_from_db()
    assert (job.status, job.processed, job.issued_count) == ("running", 0, 0)  # the old run wrote nothing more
    assert Certificate.objects.filter(bulk_job=job).count() == 1  # and went no further than the learner at hand


def test_running_a_finished_job_again_goes_through_a_rerun(cast, definition, students):
    job = _job(cast, definition, students)
    bulk_issue_job_run(job=job)
    assert bulk_issue_job_run(job=job).issued_count == 3  # a repeated message changes nothing
    bulk_issue_job_rerun(job=job, requested_by=cast.coordinator_a)
    job = bulk_issue_job_run(job=job)
    assert (job.status, job.issued_count, job.existing_count, job.failed_count) == ("done", 0, 3, 1)
    assert Certificate.objects.filter(bulk_job=job).count() == 3


# Certificates without a PDF


def _issued_without_pdf(cast, definition, students, *, seconds_ago: int) -> Certificate:
    certificate, _created = certificate_issue(
        definition=definition, learner=students[0], source={"school_year": "2026-2027"}
    )
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_at=timezone.now() - datetime.timedelta(seconds=seconds_ago)
    )
    certificate.refresh_from_db()
    assert not certificate.pdf
    return certificate


def test_the_sweeper_renders_a_certificate_left_without_its_pdf_once(cast, definition, students, stall_seconds):
    certificate = _issued_without_pdf(cast, definition, students, seconds_ago=301)
    assert tasks.render_missing_pdfs() == 1
    certificate.refresh_from_db()
    assert certificate.pdf and certificate.pdf.storage.exists(certificate.pdf.name)
    assert tasks.render_missing_pdfs() == 0
    assert certificate.events.filter(action="rendered").count() == 1


def test_the_sweeper_leaves_recent_certificates_and_recent_claims_alone(cast, definition, students, stall_seconds):
    certificate = _issued_without_pdf(cast, definition, students, seconds_ago=30)
    assert tasks.render_missing_pdfs() == 0  # its own task is probably rendering it right now
    Certificate.objects.filter(pk=certificate.pk).update(issued_at=timezone.now() - datetime.timedelta(hours=1))
    assert certificates_claim_missing_pdfs() == [certificate.pk]
    assert certificates_claim_missing_pdfs() == []  # claimed: a second sweep does not queue it again
    Certificate.objects.filter(pk=certificate.pk).update(
        pdf_claimed_at=timezone.now() - datetime.timedelta(seconds=301)
    )
    assert certificates_claim_missing_pdfs() == [certificate.pk]  # that render died: claim it again


def test_the_download_renders_a_missing_pdf_on_first_request(cast, client_for, definition, students):
    certificate = _issued_without_pdf(cast, definition, students, seconds_ago=5)
    client = client_for(students[0])
    url = reverse("certificates:download", kwargs={"pk": certificate.pk})
    for _attempt in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert certificate.events.filter(action="rendered").count() == 1
    assert tasks.render_missing_pdfs() == 0
