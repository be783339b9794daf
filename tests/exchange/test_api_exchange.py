"""The exchange with the national volunteer information system: JSON and CSV, keyed by volunteer number, ID numbers
masked, limited to the organisations whose reports the caller sees."""

from __future__ import annotations

import csv
import io

import pytest

from accounts.constants import Role
from accounts.services import membership_add
from tests.certificates.factories import complete, practice_hours
from tests.lms.api_helpers import certificate_course, fresh_throttles, token_client  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]

RESIDENT_ID = "11010519491231002X"


@pytest.fixture
def records(cast, settings, django_capture_on_commit_callbacks):
    settings.CERTIFICATES_VERIFY_BASE_URL = "http://testserver"
    cast.learner.resident_id = RESIDENT_ID
    cast.learner.phone = "13800138000"
    cast.learner.save()
    practice_hours(cast.learner, organization=cast.school_a, minutes=150, source="exchange:1", description="助老服务")
    practice_hours(cast.learner, organization=cast.school_a, minutes=60, source="exchange:2", verified=False)
    course, _lessons, _quiz, _definition = certificate_course(cast.base_x, lessons=1)
    with django_capture_on_commit_callbacks(execute=True):
        completion = complete(cast.learner, course)
    # The base's coordinator exports the training the base recorded (ADR 0017).
    membership_add(user=cast.editor_x, organization=cast.base_x, role=Role.COORDINATOR)
    return course, completion


def _csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_volunteers_are_keyed_by_volunteer_number_with_the_id_masked(cast, records):
    api = token_client(cast.coordinator_a)
    body = api.get("/api/v1/exchange/volunteers/").json()
    row = next(row for row in body["results"] if row["volunteer_number"] == cast.learner.volunteer_number)
    assert row["id_document_type"] == "resident_id_card"
    assert row["id_number_masked"] != RESIDENT_ID and row["id_number_masked"].endswith("002X")
    assert row["phone_masked"] == "138****8000" and row["service_hours"] == "2.5"
    assert row["learning_hours"] == "0.0" and row["organizations"] == cast.school_a.name  # base X recorded the course

    response = api.get("/api/v1/exchange/volunteers/", {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert [row["volunteer_number"] for row in rows] == [row["volunteer_number"] for row in body["results"]]
    assert RESIDENT_ID not in str(rows) and RESIDENT_ID not in str(body)


def test_service_and_training_records_are_exported_as_json_and_csv(cast, records):
    course, completion = records
    api = token_client(cast.coordinator_a)
    service = api.get("/api/v1/exchange/service-records/").json()
    assert [(row["volunteer_number"], row["minutes"], row["service_content"]) for row in service["results"]] == [
        (cast.learner.volunteer_number, 150, "助老服务")  # the unverified entry is not a record yet
    ]
    api = token_client(cast.editor_x)
    training = api.get("/api/v1/exchange/training-records/", HTTP_ACCEPT="text/csv")
    rows = _csv(training)
    assert len(rows) == 1
    assert rows[0]["course_key"] == course.key and rows[0]["credited_minutes"] == "120"
    assert rows[0]["certificate_number"] and rows[0]["record_id"] == f"CC-{completion.pk}"
    later = api.get("/api/v1/exchange/training-records/", {"since": "2999-01-01"}).json()
    assert later["count"] == 0
    bad = api.get("/api/v1/exchange/training-records/", {"since": "yesterday"})
    assert bad.status_code == 400 and "since" in bad.json()["fields"]


def test_the_exchange_is_404_without_reports_and_scoped_to_ones_schools(cast, records):
    for user in (cast.outsider, cast.learner):
        api = token_client(user)
        for name in ("volunteers", "service-records", "training-records"):
            assert api.get(f"/api/v1/exchange/{name}/").status_code == 404
            csv_response = api.get(f"/api/v1/exchange/{name}/", {"format": "csv"})
            assert csv_response.status_code == 404 and csv_response.json()["error"] == "not_found"
    other_school = token_client(cast.coordinator_b).get("/api/v1/exchange/volunteers/").json()
    assert cast.learner.volunteer_number not in [row["volunteer_number"] for row in other_school["results"]]


def test_a_page_of_volunteers_costs_the_same_queries_whatever_its_size(cast, records, django_assert_max_num_queries):
    from tests.factories import UserFactory

    api = token_client(cast.coordinator_a)
    with django_assert_max_num_queries(8):
        api.get("/api/v1/exchange/volunteers/")
    for _ in range(20):
        membership_add(user=UserFactory(), organization=cast.school_a, role=Role.LEARNER)
    with django_assert_max_num_queries(8):
        assert api.get("/api/v1/exchange/volunteers/").json()["count"] == 21
