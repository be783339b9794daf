"""xAPI statements: recorded once per learning event, readable from the API, forwarded to an LRS with retries.

The LRS is a small HTTP server this test starts on 127.0.0.1; nothing leaves the machine."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assessments.services import attempt_start, attempt_submit
from courses.services.progress import lesson_complete, lesson_open
from lms.celery import app as celery_app
from tests.courses.factories import correct_answers, enrol
from tests.lms.api_helpers import certificate_course, fresh_throttles, token_client  # noqa: F401 - fixture
from xapi.models import XapiStatement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


class FakeLrs:
    """Answers each PUT with the next status in `statuses` (then 204) and remembers the requests."""

    def __init__(self, statuses: list[int]):
        self.statuses = list(statuses)
        self.requests: list[dict] = []
        lrs = self

        class Handler(BaseHTTPRequestHandler):
            def do_PUT(self):
                length = int(self.headers.get("Content-Length", 0))
                lrs.requests.append(
                    {
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": json.loads(self.rfile.read(length) or b"null"),
                    }
                )
                self.send_response(lrs.statuses.pop(0) if lrs.statuses else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/xapi/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _learn(cast, django_capture_on_commit_callbacks):
    """A lesson finished and a quiz passed through the services: the signals do the rest."""
    course, lessons, quiz, _definition = certificate_course(cast.base_x, lessons=1)
    enrollment = enrol(cast.learner, course)
    with django_capture_on_commit_callbacks(execute=True):
        lesson_open(enrollment=enrollment, lesson=lessons[0])
        lesson_complete(enrollment=enrollment, lesson=lessons[0])
    attempt = attempt_start(quiz=quiz, user=cast.learner)
    with django_capture_on_commit_callbacks(execute=True):
        attempt_submit(attempt=attempt, user=cast.learner, answers=correct_answers(attempt))
    return course


def test_each_learning_event_is_one_statement_without_personal_data(cast, settings, django_capture_on_commit_callbacks):
    settings.LESSON_MIN_READING_FRACTION = 0
    course = _learn(cast, django_capture_on_commit_callbacks)
    statements = list(XapiStatement.objects.order_by("timestamp", "stored_at"))
    assert [(row.verb, row.activity_type) for row in statements] == [
        ("completed", "lesson"),
        ("passed", "quiz"),
        ("completed", "course"),
    ]
    course_statement = statements[-1].statement
    assert course_statement["object"]["id"].endswith(f"/xapi/activities/course/{course.pk}")
    assert course_statement["id"] == str(statements[-1].pk)
    text = json.dumps([row.statement for row in statements], ensure_ascii=False)
    assert cast.learner.real_name not in text and cast.learner.username not in text
    assert statements[1].statement["result"]["success"] is True
    assert statements[1].statement["result"]["score"]["scaled"] == 1.0


def test_a_coordinator_reads_the_statements_of_their_schools_learners(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.LESSON_MIN_READING_FRACTION = 0
    _learn(cast, django_capture_on_commit_callbacks)
    url = f"/api/v1/organizations/{cast.school_a.pk}/xapi/statements/"
    body = token_client(cast.coordinator_a).get(url).json()
    assert body["count"] == 3
    assert token_client(cast.coordinator_b).get(url).status_code == 404
    assert token_client(cast.learner).get("/api/v1/me/xapi/statements/").json()["count"] == 3


def test_statements_reach_the_lrs_after_a_failed_try(cast, settings, monkeypatch, django_capture_on_commit_callbacks):
    # Eager tasks retry in-process only when errors do not propagate (as a worker would retry them).
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)
    settings.LESSON_MIN_READING_FRACTION = 0
    settings.XAPI_LRS_USERNAME = "lms"
    settings.XAPI_LRS_PASSWORD = "secret"
    with FakeLrs(statuses=[503]) as lrs:
        settings.XAPI_LRS_URL = lrs.url
        _learn(cast, django_capture_on_commit_callbacks)
    assert len(lrs.requests) == 4  # the first try failed (503) and was retried; three statements in all
    first, retried = lrs.requests[0], lrs.requests[1]
    assert first["path"] == retried["path"] and first["path"].startswith("/xapi/statements?statementId=")
    assert retried["headers"]["X-Experience-API-Version"] == "1.0.3"
    assert retried["headers"]["Authorization"].startswith("Basic ")
    assert {request["body"]["id"] for request in lrs.requests} == {
        str(pk) for pk in XapiStatement.objects.values_list("pk", flat=True)
    }
    assert not XapiStatement.objects.filter(forwarded_at__isnull=True).exists()


def test_an_unreachable_lrs_never_fails_the_learner(cast, settings, django_capture_on_commit_callbacks):
    settings.LESSON_MIN_READING_FRACTION = 0
    with FakeLrs(statuses=[]) as lrs:
        closed_url = lrs.url
    settings.XAPI_LRS_URL = closed_url  # the server is gone: every try is refused
    _learn(cast, django_capture_on_commit_callbacks)
    assert XapiStatement.objects.count() == 3
    assert XapiStatement.objects.filter(forwarded_at__isnull=True).count() == 3


def test_a_statement_is_recorded_in_the_request_when_the_broker_is_down(
    cast, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    from xapi import tasks

    queued: list[tuple] = []

    def broker_down(*args, **kwargs):
        queued.append(args)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.xapi_record, "delay", broker_down)
    settings.LESSON_MIN_READING_FRACTION = 0
    _learn(cast, django_capture_on_commit_callbacks)
    assert [event for event, _pk in queued] == ["lesson_completed", "attempt_graded", "course_completed"]
    assert XapiStatement.objects.count() == 3  # none lost: each was recorded in place


def test_recording_an_event_twice_stores_one_statement(cast, settings, django_capture_on_commit_callbacks):
    from assessments.models import Attempt
    from xapi.services import xapi_record_event
    from xapi.tasks import xapi_record

    settings.LESSON_MIN_READING_FRACTION = 0
    _learn(cast, django_capture_on_commit_callbacks)
    attempt = Attempt.objects.get(user=cast.learner)
    first = XapiStatement.objects.get(source_key=f"attempt-graded:{attempt.pk}")
    assert xapi_record.apply(args=("attempt_graded", attempt.pk)).get() == str(first.pk)
    assert XapiStatement.objects.filter(source_key__startswith="attempt-graded:").count() == 1
    with pytest.raises(ValueError, match="unknown xAPI event"):
        xapi_record_event(event="attempt_deleted", object_id=attempt.pk)
