import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from hours.models import HoursEntry, HoursKind, HoursStatus
from schools.models import ServiceActivity
from schools.services.practice import (
    ParticipantInput,
    participants_from_file,
    service_activity_record,
    service_activity_verify,
    service_participation_reject,
)
from tests.factories import UserFactory
from tests.schools.factories import StudentProfileFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 3, 1)


@pytest.fixture(autouse=True)
def english_and_a_fixed_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    with translation.override("en"):
        yield


@pytest.fixture
def students(cast):
    return [StudentProfileFactory(organization=cast.school_a, student_number=f"S{n}") for n in range(3)]


def record(cast, students, **overrides):
    data = {
        "organizer": cast.school_a,
        "recorded_by": cast.coordinator_a,
        "title": "社区垃圾分类宣传",
        "content": "在社区宣传四类垃圾分类",
        "place": "幸福社区",
        "occurred_on": datetime.date(2026, 10, 1),
        "school_year": "2026-2027",
        "start_time": datetime.time(9, 0),
        "end_time": datetime.time(11, 0),
        "participants": [ParticipantInput(user=profile.user, minutes=None, label="") for profile in students],
    }
    data.update(overrides)
    return service_activity_record(**data)


def messages_of(error: pytest.ExceptionInfo) -> str:
    return " | ".join(error.value.messages)


def test_each_participant_gets_one_pending_practice_entry_recorded_by_the_organiser(cast, students):
    activity = record(cast, students)
    entries = HoursEntry.objects.filter(source_key__startswith=f"practice:{activity.pk}:")
    assert entries.count() == 3
    for profile in students:
        entry = entries.get(user=profile.user)
        assert entry.source_key == f"practice:{activity.pk}:{profile.user.pk}"
        assert (entry.kind, entry.status, entry.minutes) == (HoursKind.PRACTICE, HoursStatus.PENDING, 120)
        assert entry.recorded_by_organization == cast.school_a and entry.credited_organization == cast.school_a
        assert entry.school_year == "2026-2027"


def test_only_the_organiser_verifies_and_verifying_twice_changes_nothing(cast, students):
    activity = record(cast, students)
    for stranger in (cast.coordinator_b, cast.outsider, students[0].user):
        with pytest.raises(PermissionDenied):
            service_activity_verify(activity=activity, verifier=stranger)
    assert service_activity_verify(activity=activity, verifier=cast.coordinator_a) == 3
    assert service_activity_verify(activity=activity, verifier=cast.coordinator_a) == 0
    assert set(HoursEntry.objects.values_list("status", flat=True)) == {HoursStatus.VERIFIED}


def test_a_team_records_for_a_student_credited_to_the_school_and_the_school_cannot_verify_it(cast, students):
    from accounts.constants import Role
    from accounts.services import membership_add

    membership_add(user=cast.editor_x, organization=cast.base_x, role=Role.COORDINATOR)
    activity = record(cast, students[:1], organizer=cast.base_x, recorded_by=cast.editor_x)
    entry = HoursEntry.objects.get(source_key=f"practice:{activity.pk}:{students[0].user.pk}")
    assert entry.credited_organization == cast.school_a and entry.recorded_by_organization == cast.base_x
    with pytest.raises(PermissionDenied):
        service_activity_verify(activity=activity, verifier=cast.coordinator_a)
    service_activity_verify(activity=activity, verifier=cast.editor_x)


def test_more_than_24_hours_in_a_day_is_refused_for_that_person_only(cast, students):
    record(cast, students[:1], start_time=None, end_time=None, duration_minutes=22 * 60, title="长时间服务")
    with pytest.raises(ValidationError) as error:
        record(cast, students, start_time=datetime.time(20, 0), end_time=datetime.time(23, 30))
    text = messages_of(error)
    assert students[0].user.real_name in text and "more than 24 hours" in text
    assert students[1].user.real_name not in text
    assert ServiceActivity.objects.count() == 1


def test_overlapping_activities_for_one_person_are_refused(cast, students):
    record(cast, students[:2], title="上午活动")
    with pytest.raises(ValidationError) as error:
        record(cast, students[1:], title="重叠活动", start_time=datetime.time(10, 30), end_time=datetime.time(12, 0))
    text = messages_of(error)
    assert students[1].user.real_name in text and "上午活动" in text and "overlaps" in text
    assert students[2].user.real_name not in text
    record(cast, students[1:], title="下午活动", start_time=datetime.time(11, 0), end_time=datetime.time(12, 0))


def test_a_rejected_entry_no_longer_blocks_the_time(cast, students):
    activity = record(cast, students[:1], title="记错的活动")
    participation = activity.participations.get()
    service_participation_reject(participation=participation, verifier=cast.coordinator_a, reason="日期记错")
    record(cast, students[:1], title="更正后的活动")


def test_future_dates_and_dates_outside_the_school_year_are_refused(cast, students):
    with pytest.raises(ValidationError) as error:
        record(cast, students, occurred_on=datetime.date(2027, 3, 2))
    assert "in the future" in messages_of(error)
    with pytest.raises(ValidationError) as error:
        record(cast, students, occurred_on=datetime.date(2026, 8, 31))
    assert "outside the school year 2026-2027" in messages_of(error)
    assert ServiceActivity.objects.count() == 0 and HoursEntry.objects.count() == 0


def test_31_august_and_1_september_land_in_different_school_years(cast, students):
    august = record(cast, students[:1], occurred_on=datetime.date(2026, 8, 31), school_year="2025-2026")
    september = record(cast, students[:1], occurred_on=datetime.date(2026, 9, 1), school_year="2026-2027")
    years = {
        activity.pk: HoursEntry.objects.get(service_participation__activity=activity).school_year
        for activity in (august, september)
    }
    assert years == {august.pk: "2025-2026", september.pk: "2026-2027"}


def test_a_participant_longer_than_the_activity_or_listed_twice_is_refused(cast, students):
    participants = [
        ParticipantInput(user=students[0].user, minutes=200, label="Row 2"),
        ParticipantInput(user=students[1].user, minutes=60, label="Row 3"),
        ParticipantInput(user=students[1].user, minutes=60, label="Row 4"),
    ]
    with pytest.raises(ValidationError) as error:
        record(cast, students, participants=participants)
    text = messages_of(error)
    assert "Row 2: 200 minutes is longer than the activity (120 minutes)" in text
    assert "Row 4 is listed twice" in text


def test_only_a_coordinator_of_the_organiser_may_record(cast, students):
    with pytest.raises(PermissionDenied):
        record(cast, students, recorded_by=cast.coordinator_b)
    with pytest.raises(PermissionDenied):
        record(cast, students, recorded_by=cast.outsider)


def test_participants_are_read_from_a_gbk_file_with_per_row_errors(cast, students):
    volunteer = UserFactory(real_name="社会志愿者")
    StudentProfileFactory(user=volunteer, organization=cast.school_a, student_number="S9")  # by 志愿者编号 below
    text = "\r\n".join(
        [
            "学号,志愿者编号,姓名,时长（分钟）",
            f"S0,,{students[0].user.real_name},90",
            f",{volunteer.volunteer_number},社会志愿者,60",
            "NOPE,,,30",
            "S1,,错名字,30",
            "S2,,,abc",
        ]
    )
    participants, errors = participants_from_file(organizer=cast.school_a, data=text.encode("gbk"), file_name="p.csv")
    assert [(p.user, p.minutes) for p in participants] == [(students[0].user, 90), (volunteer, 60)]
    assert errors[0].startswith("Row 4") and "not on the roster" in errors[0]
    assert errors[1].startswith("Row 5") and "does not match" in errors[1]
    assert errors[2].startswith("Row 6") and "not a number of minutes" in errors[2]
