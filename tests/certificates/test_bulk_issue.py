"""Bulk issuing: a job with progress counts, failures listed, and a re-run that completes only what is missing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from certificates.models import BulkIssueJob, Certificate, CertificateKind
from certificates.services import bulk_issue_job_create, bulk_issue_job_rerun, bulk_issue_job_run
from schools.models import SchoolClass, StudentProfile
from tests.certificates.factories import CertificateDefinitionFactory, practice_hours
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def school_year_definition(cast):
    return CertificateDefinitionFactory(
        kind=CertificateKind.SCHOOL_YEAR, course=None, issuer=cast.school_a, title="学年学时证明", number_prefix="AXN"
    )


@pytest.fixture
def school_class(cast):
    school_class = SchoolClass.objects.create(organization=cast.school_a, name="一班")
    students = [UserFactory(real_name=f"学生{n}") for n in range(3)]
    for n, student in enumerate(students):
        StudentProfile.objects.create(
            user=student, organization=cast.school_a, student_number=f"S{n}", school_class=school_class
        )
    for student in students[:2]:
        practice_hours(student, organization=cast.school_a, minutes=120, source=f"p-{student.pk}")
    return school_class, students


def test_a_job_issues_what_it_can_and_lists_the_rest(
    cast, school_year_definition, school_class, django_capture_on_commit_callbacks
):
    _class, students = school_class
    with django_capture_on_commit_callbacks(execute=True):
        job = bulk_issue_job_create(
            definition=school_year_definition,
            requested_by=cast.coordinator_a,
            learner_ids=[s.pk for s in students],
            parameters={"school_year": "2026-2027"},
        )
    job.refresh_from_db()
    assert (job.status, job.total, job.processed) == ("done", 3, 3)
    assert (job.issued_count, job.existing_count, job.failed_count) == (2, 0, 1)
    assert job.failures[0]["name"] == "学生2"
    assert "2026-2027" in job.failures[0]["reason"]
    assert Certificate.objects.filter(bulk_job=job).count() == 2
    assert all(c.pdf for c in Certificate.objects.filter(bulk_job=job))


def test_running_again_completes_only_what_is_missing(cast, school_year_definition, school_class):
    _class, students = school_class
    job = bulk_issue_job_create(
        definition=school_year_definition,
        requested_by=cast.coordinator_a,
        learner_ids=[s.pk for s in students],
        parameters={"school_year": "2026-2027"},
    )
    bulk_issue_job_run(job=job)
    numbers = set(Certificate.objects.values_list("number", flat=True))
    practice_hours(students[2], organization=cast.school_a, minutes=60, source="late")
    bulk_issue_job_rerun(job=job, requested_by=cast.coordinator_a)  # a finished job runs again only when asked
    job = bulk_issue_job_run(job=job)
    assert (job.issued_count, job.existing_count, job.failed_count) == (1, 2, 0)
    assert Certificate.objects.count() == 3
    assert numbers < set(Certificate.objects.values_list("number", flat=True))


@pytest.mark.parametrize("who", ["outsider", "coordinator_b", "learner", "editor_x"])
def test_only_the_issuer_may_start_a_job(cast, school_year_definition, who):
    with pytest.raises(PermissionDenied):
        bulk_issue_job_create(
            definition=school_year_definition,
            requested_by=getattr(cast, who),
            learner_ids=[cast.learner.pk],
            parameters={"school_year": "2026-2027"},
        )
    assert not BulkIssueJob.objects.exists()


def test_the_form_issues_to_a_class_and_shows_progress(
    cast, client_for, school_year_definition, school_class, django_capture_on_commit_callbacks
):
    school_class_obj, _students = school_class
    client = client_for(cast.coordinator_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("certificates:bulk_issue"),
            {"definition": school_year_definition.pk, "school_class": school_class_obj.pk, "school_year": "2026-2027"},
        )
    assert response.status_code == 302
    job = BulkIssueJob.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="job-issued">2<' in page and 'data-testid="job-failed">1<' in page
    assert "学生2" in page
    assert client.get(response["Location"] + "?format=json").json()["percent"] == 100
    assert job.requested_by == cast.coordinator_a


def test_unknown_volunteer_numbers_are_named_and_nothing_starts(cast, client_for, school_year_definition):
    response = client_for(cast.coordinator_a).post(
        reverse("certificates:bulk_issue"),
        {
            "definition": school_year_definition.pk,
            "identifiers": f"{cast.learner.volunteer_number}\nZY000",
            "school_year": "2026-2027",
        },
    )
    assert response.status_code == 400
    assert "ZY000" in response.content.decode()
    assert not BulkIssueJob.objects.exists()


def test_another_schools_class_is_refused(cast, client_for, school_year_definition):
    other_class = SchoolClass.objects.create(organization=cast.school_b, name="二班")
    response = client_for(cast.coordinator_a).post(
        reverse("certificates:bulk_issue"),
        {"definition": school_year_definition.pk, "school_class": other_class.pk, "school_year": "2026-2027"},
    )
    assert response.status_code == 400
    assert not BulkIssueJob.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "coordinator_b", "learner"])
def test_others_get_404_for_the_job_and_the_form(cast, client_for, school_year_definition, who):
    job = bulk_issue_job_create(
        definition=school_year_definition,
        requested_by=cast.coordinator_a,
        learner_ids=[cast.learner.pk],
        parameters={"school_year": "2026-2027"},
    )
    client = client_for(getattr(cast, who))
    assert client.get(reverse("certificates:bulk_job", kwargs={"pk": job.pk})).status_code == 404
    assert client.post(reverse("certificates:bulk_job_rerun", kwargs={"pk": job.pk})).status_code == 404
    if who != "coordinator_b":
        assert client.get(reverse("certificates:bulk_issue")).status_code == 404
