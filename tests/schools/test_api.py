"""Coordinators through the API: roster, compliance, recording and verifying practice hours; others get 404."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.school_years import school_year_for
from hours.models import HoursStatus
from schools.models import ServiceActivity
from tests.hours.factories import HoursEntryFactory
from tests.lms.api_helpers import fresh_throttles, token_client  # noqa: F401 - fixture
from tests.schools.factories import StudentProfileFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


def _yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def students(cast):
    learner_profile = StudentProfileFactory(user=cast.learner, organization=cast.school_a, student_number="A001")
    others = [StudentProfileFactory(organization=cast.school_a) for _ in range(3)]
    return [learner_profile, *others]


def test_the_coordinator_reads_the_roster_paginated_and_filtered(cast, students, django_assert_max_num_queries):
    api = token_client(cast.coordinator_a)
    with django_assert_max_num_queries(12):
        response = api.get(f"/api/v1/organizations/{cast.school_a.pk}/students/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4 and {"next", "previous", "results"} <= set(body)
    assert "activation_code" not in body["results"][0]
    found = api.get(f"/api/v1/organizations/{cast.school_a.pk}/students/", {"q": "A001"}).json()
    assert [row["volunteer_number"] for row in found["results"]] == [cast.learner.volunteer_number]
    bad = api.get(f"/api/v1/organizations/{cast.school_a.pk}/students/", {"school_class": "x"})
    assert bad.status_code == 400 and "school_class" in bad.json()["fields"]


def test_compliance_for_a_school_year_counts_verified_hours(cast, students):
    year = school_year_for(_yesterday())
    HoursEntryFactory(user=cast.learner, minutes=8 * 60, occurred_on=_yesterday(), credited_organization=cast.school_a)
    api = token_client(cast.coordinator_a)
    summary = api.get(f"/api/v1/organizations/{cast.school_a.pk}/compliance/", {"school_year": year}).json()
    assert summary["school_year"] == year and summary["required_hours"] == "8.0"
    assert sum(row["total"] for row in summary["classes"]) == 4
    met = api.get(
        f"/api/v1/organizations/{cast.school_a.pk}/compliance/students/", {"school_year": year, "status": "met"}
    ).json()
    assert [row["student"]["student_number"] for row in met["results"]] == ["A001"]
    assert met["results"][0]["counted_hours"] == "8.0"
    wrong_year = api.get(f"/api/v1/organizations/{cast.school_a.pk}/compliance/", {"school_year": "2026-2028"})
    assert wrong_year.status_code == 400 and "school_year" in wrong_year.json()["fields"]


def test_practice_hours_are_recorded_then_verified_by_the_organiser(cast, students):
    api = token_client(cast.coordinator_a)
    day = _yesterday()
    payload = {
        "title": "社区清洁",
        "content": "清理河道垃圾",
        "place": "浑河岸边",
        "occurred_on": day.isoformat(),
        "school_year": school_year_for(day),
        "duration_minutes": 90,
        "participants": [{"student_number": "A001"}, {"volunteer_number": students[1].user.volunteer_number}],
    }
    created = api.post(f"/api/v1/organizations/{cast.school_a.pk}/activities/", payload, format="json")
    assert created.status_code == 201, created.content
    activity = created.json()
    assert {row["status"] for row in activity["participations"]} == {HoursStatus.PENDING}

    # The other school's coordinator may neither see nor verify it.
    other = token_client(cast.coordinator_b)
    url = f"/api/v1/organizations/{cast.school_a.pk}/activities/{activity['id']}/verification/"
    assert other.post(url).status_code == 404

    verified = api.post(url)
    assert verified.status_code == 200 and verified.json() == {"verified": 2}
    assert api.post(url).json() == {"verified": 0}  # idempotent
    listed = api.get(f"/api/v1/organizations/{cast.school_a.pk}/activities/").json()
    assert listed["results"][0]["pending_count"] == 0 and listed["results"][0]["participant_count"] == 2


def test_a_bad_participant_records_nothing_and_names_the_row(cast, students):
    api = token_client(cast.coordinator_a)
    day = _yesterday()
    payload = {
        "title": "社区清洁",
        "content": "清理",
        "place": "社区",
        "occurred_on": day.isoformat(),
        "school_year": school_year_for(day),
        "duration_minutes": 60,
        "participants": [{"student_number": "A001"}, {"student_number": "NOPE"}],
    }
    response = api.post(f"/api/v1/organizations/{cast.school_a.pk}/activities/", payload, format="json")
    assert response.status_code == 400
    assert "NOPE" in response.json()["fields"]["participants"][0]
    future = dict(payload, participants=[{"student_number": "A001"}], occurred_on="2999-01-01")
    response = api.post(f"/api/v1/organizations/{cast.school_a.pk}/activities/", future, format="json")
    assert response.status_code == 400 and response.json()["detail"]
    assert not ServiceActivity.objects.exists()


def test_a_student_sees_their_own_record_and_nobody_else_does(cast, students):
    url = f"/api/v1/organizations/{cast.school_a.pk}/students/{students[0].pk}/"
    assert token_client(cast.learner).get(url).status_code == 200
    assert token_client(cast.coordinator_a).get(url).status_code == 200
    for user in (cast.outsider, cast.coordinator_b, cast.editor_x):
        assert token_client(user).get(url).status_code == 404
    other_student = f"/api/v1/organizations/{cast.school_a.pk}/students/{students[1].pk}/"
    assert token_client(cast.learner).get(other_student).status_code == 404


def test_school_data_is_404_for_an_outsider_and_the_other_school(cast, students):
    activity = ServiceActivity.objects.create(
        organizer=cast.school_a,
        title="t",
        content="c",
        place="p",
        occurred_on=_yesterday(),
        school_year=school_year_for(_yesterday()),
    )
    base = f"/api/v1/organizations/{cast.school_a.pk}"
    gets = [
        f"{base}/students/",
        f"{base}/compliance/",
        f"{base}/compliance/students/",
        f"{base}/activities/",
        f"{base}/activities/{activity.pk}/",
        f"{base}/xapi/statements/",
    ]
    posts = [f"{base}/activities/", f"{base}/activities/{activity.pk}/verification/"]
    for user in (cast.outsider, cast.coordinator_b, cast.learner):
        api = token_client(user)
        for url in gets:
            response = api.get(url)
            assert response.status_code == 404, (user.username, url)
            assert set(response.json()) == {"error", "detail", "fields"}
        for url in posts:
            assert api.post(url, {}, format="json").status_code == 404, (user.username, url)
