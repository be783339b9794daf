"""Participants of a school's activity are its students: another school's student, named by volunteer number through
the API, the form's file or the service itself, is refused with a message naming the row, and nothing is recorded.
Teams and bases may still record service for any volunteer; the hours count for the volunteer's own school."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.constants import Role
from accounts.services import membership_add
from hours.models import HoursEntry
from schools.models import ServiceActivity
from schools.services.practice import ParticipantInput, participants_resolve, service_activity_record
from tests.lms.api_helpers import fresh_throttles, token_client  # noqa: F401 - fixture
from tests.schools.factories import StudentProfileFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]

TODAY = datetime.date(2027, 3, 1)


@pytest.fixture(autouse=True)
def english_and_a_fixed_today(monkeypatch, client):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def own_student(cast):
    return StudentProfileFactory(organization=cast.school_a, student_number="A001")


@pytest.fixture
def other_student(cast):
    """A student of school B only: school A has no business recording hours for them."""
    return StudentProfileFactory(organization=cast.school_b, student_number="B001")


def api(user):
    client = token_client(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def activity_payload(**participants):
    return {
        "title": "社区清洁",
        "content": "清理河道垃圾",
        "place": "浑河岸边",
        "occurred_on": "2027-02-20",
        "school_year": "2026-2027",
        "duration_minutes": 90,
        **participants,
    }


def refusal(number: str, prefix: str) -> str:
    return f"{prefix}: volunteer number {number} is not a student of A 学院."


def test_the_api_refuses_another_schools_student_named_by_volunteer_number(cast, own_student, other_student):
    number = other_student.user.volunteer_number
    payload = activity_payload(participants=[{"student_number": "A001"}, {"volunteer_number": number}])
    response = api(cast.coordinator_a).post(
        f"/api/v1/organizations/{cast.school_a.pk}/activities/", payload, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["fields"]["participants"] == [refusal(number, "Participant 2")]
    assert not ServiceActivity.objects.exists() and not HoursEntry.objects.exists()


def test_the_form_refuses_another_schools_student_in_the_uploaded_file(cast, own_student, other_student, client_for):
    number = other_student.user.volunteer_number
    upload = io.BytesIO(f"学号,志愿者编号\r\nA001,\r\n,{number}\r\n".encode("gbk"))
    upload.name = "participants.csv"
    form = {
        "title": "敬老院服务",
        "content": "陪伴老人",
        "place": "幸福敬老院",
        "occurred_on": "2027-02-20",
        "start_time": "09:00",
        "end_time": "11:00",
        "school_year": "2026-2027",
        "participants_file": upload,
    }
    response = client_for(cast.coordinator_a).post(reverse("schools:school_activity_new", args=["school-a"]), form)
    assert response.status_code == 400
    assert refusal(number, "Row 3") in response.content.decode()
    assert not ServiceActivity.objects.exists() and not HoursEntry.objects.exists()


def test_the_resolver_accepts_the_schools_own_students_by_either_number(cast, own_student, other_student):
    rows = [{"student_number": "A001"}, {"volunteer_number": own_student.user.volunteer_number}]
    participants, errors = participants_resolve(organizer=cast.school_a, rows=rows)
    assert errors == [] and [participant.user for participant in participants] == [own_student.user] * 2


def test_a_volunteer_on_no_roster_is_refused_by_a_school_too(cast):
    participants, errors = participants_resolve(
        organizer=cast.school_a, rows=[{"volunteer_number": cast.outsider.volunteer_number}]
    )
    assert participants == [] and errors == [refusal(cast.outsider.volunteer_number, "Participant 1")]


def test_the_service_itself_refuses_a_participant_who_is_not_a_student_of_the_school(cast, own_student, other_student):
    """A caller that builds participants itself cannot step around the resolver."""
    with pytest.raises(ValidationError) as error:
        service_activity_record(
            organizer=cast.school_a,
            recorded_by=cast.coordinator_a,
            title="社区清洁",
            content="清理",
            place="社区",
            occurred_on=datetime.date(2027, 2, 20),
            school_year="2026-2027",
            duration_minutes=60,
            participants=[
                ParticipantInput(user=own_student.user, minutes=None, label="Row 2"),
                ParticipantInput(user=other_student.user, minutes=None, label="Row 3"),
            ],
        )
    assert error.value.messages == [
        f"Row 3: volunteer number {other_student.user.volunteer_number} is not a student of A 学院."
    ]
    assert not ServiceActivity.objects.exists() and not HoursEntry.objects.exists()


def test_a_student_of_both_schools_is_recorded_by_either_and_credited_to_the_recorder(cast, other_student):
    StudentProfileFactory(user=other_student.user, organization=cast.school_a, student_number="A777")
    participants, errors = participants_resolve(
        organizer=cast.school_a, rows=[{"volunteer_number": other_student.user.volunteer_number}]
    )
    assert errors == []
    activity = service_activity_record(
        organizer=cast.school_a,
        recorded_by=cast.coordinator_a,
        title="社区清洁",
        content="清理",
        place="社区",
        occurred_on=datetime.date(2027, 2, 20),
        school_year="2026-2027",
        duration_minutes=60,
        participants=participants,
    )
    entry = HoursEntry.objects.get(service_participation__activity=activity)
    assert entry.credited_organization == cast.school_a and entry.recorded_by_organization == cast.school_a


def test_a_base_records_any_volunteer_and_the_hours_count_for_their_own_school(cast, other_student):
    membership_add(user=cast.editor_x, organization=cast.base_x, role=Role.COORDINATOR)
    payload = activity_payload(
        participants=[
            {"volunteer_number": other_student.user.volunteer_number},
            {"volunteer_number": cast.outsider.volunteer_number},
        ]
    )
    response = api(cast.editor_x).post(f"/api/v1/organizations/{cast.base_x.pk}/activities/", payload, format="json")
    assert response.status_code == 201, response.content
    credited = dict(HoursEntry.objects.values_list("user_id", "credited_organization_id"))
    assert credited == {other_student.user.pk: cast.school_b.pk, cast.outsider.pk: None}
    assert set(HoursEntry.objects.values_list("recorded_by_organization_id", flat=True)) == {cast.base_x.pk}


def test_the_roster_picker_refuses_another_schools_student(cast, own_student, other_student, client_for):
    form = {
        "title": "敬老院服务",
        "content": "陪伴老人",
        "place": "幸福敬老院",
        "occurred_on": "2027-02-20",
        "start_time": "09:00",
        "end_time": "11:00",
        "school_year": "2026-2027",
        "participants": [own_student.pk, other_student.pk],
    }
    response = client_for(cast.coordinator_a).post(reverse("schools:school_activity_new", args=["school-a"]), form)
    assert response.status_code == 400 and "valid choice" in response.content.decode()
    assert not ServiceActivity.objects.exists() and not HoursEntry.objects.exists()
