"""The exchange exports what the caller's organisations recorded themselves (谁记录谁证明): a volunteer who is a
member of two schools appears in both exports, each with its own records only, never the other school's, a base's or
a team's."""

from __future__ import annotations

import csv
import io

import pytest

from accounts.constants import Role
from accounts.services import membership_add
from tests.certificates.factories import complete, practice_hours
from tests.lms.api_helpers import certificate_course, fresh_throttles, token_client  # noqa: F401 - fixture
from tests.schools.factories import StudentProfileFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


@pytest.fixture
def both_schools(cast, settings, django_capture_on_commit_callbacks):
    """The learner studies at school A and school B; each school, base X and base Y recorded something for them."""
    settings.CERTIFICATES_VERIFY_BASE_URL = "http://testserver"
    learner = cast.learner
    membership_add(user=learner, organization=cast.school_b, role=Role.LEARNER)
    StudentProfileFactory(user=learner, organization=cast.school_a, student_number="A001")
    StudentProfileFactory(user=learner, organization=cast.school_b, student_number="B001")
    only_b = StudentProfileFactory(organization=cast.school_b, student_number="B002").user
    practice_hours(learner, organization=cast.school_a, minutes=90, source="a:1", description="A 校助老")
    # 100 hours recorded by school B: one star, if school A's export counted them.
    practice_hours(learner, organization=cast.school_b, minutes=6000, source="b:1", description="B 校支教")
    practice_hours(only_b, organization=cast.school_b, minutes=60, source="b:2", description="B 校清洁")
    practice_hours(learner, organization=cast.base_y, minutes=45, source="y:1", description="Y 基地赛会服务")
    course, _lessons, _quiz, _definition = certificate_course(cast.base_x, lessons=1)
    with django_capture_on_commit_callbacks(execute=True):
        completion = complete(learner, course)
    membership_add(user=cast.editor_x, organization=cast.base_x, role=Role.COORDINATOR)
    return only_b, completion


def _pull(user, name: str) -> tuple[list[dict], list[dict]]:
    """The JSON results and the CSV rows of one exchange endpoint."""
    api = token_client(user)
    body = api.get(f"/api/v1/exchange/{name}/", {"page_size": 100}).json()
    response = api.get(f"/api/v1/exchange/{name}/", {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    return body["results"], rows


def test_a_school_exports_only_the_service_it_recorded_itself(cast, both_schools):
    for results in _pull(cast.coordinator_a, "service-records"):
        assert [(row["volunteer_number"], row["service_content"]) for row in results] == [
            (cast.learner.volunteer_number, "A 校助老")
        ]
    for results in _pull(cast.coordinator_b, "service-records"):
        assert sorted(row["service_content"] for row in results) == ["B 校支教", "B 校清洁"]


def test_a_school_exports_no_training_a_base_recorded_and_the_base_does(cast, both_schools):
    _only_b, completion = both_schools
    for user in (cast.coordinator_a, cast.coordinator_b):
        for results in _pull(user, "training-records"):
            assert results == []
    for results in _pull(cast.editor_x, "training-records"):
        assert [row["record_id"] for row in results] == [f"CC-{completion.pk}"]
        assert results[0]["training_base"] == cast.base_x.name and results[0]["certificate_number"]
    for results in _pull(cast.editor_x, "service-records"):
        assert results == []


def test_a_volunteer_of_two_schools_carries_only_the_callers_hours_and_organisations(cast, both_schools):
    only_b, _completion = both_schools
    for results in _pull(cast.coordinator_a, "volunteers"):
        rows = {row["volunteer_number"]: row for row in results}
        assert only_b.volunteer_number not in rows
        row = rows[cast.learner.volunteer_number]
        assert (row["service_hours"], row["learning_hours"]) == ("1.5", "0.0")
        assert int(row["star_level"]) == 0 and row["organizations"] == cast.school_a.name
    for results in _pull(cast.coordinator_b, "volunteers"):
        row = next(row for row in results if row["volunteer_number"] == cast.learner.volunteer_number)
        assert (row["service_hours"], row["learning_hours"], int(row["star_level"])) == ("100.0", "0.0", 1)
        assert row["organizations"] == cast.school_b.name
    for results in _pull(cast.editor_x, "volunteers"):
        assert [(row["volunteer_number"], row["service_hours"], row["learning_hours"]) for row in results] == [
            (cast.learner.volunteer_number, "0.0", "2.0")
        ]
        assert results[0]["organizations"] == ""


def test_the_city_office_sees_what_every_organisation_below_it_recorded(cast, both_schools):
    admin = cast.outsider
    membership_add(user=admin, organization=cast.city, role=Role.ADMIN)
    results, _rows = _pull(admin, "service-records")
    assert sorted(row["service_content"] for row in results) == ["A 校助老", "B 校支教", "B 校清洁", "Y 基地赛会服务"]
    results, _rows = _pull(admin, "training-records")
    assert len(results) == 1
