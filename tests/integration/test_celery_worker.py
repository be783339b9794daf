import pytest

from lms.tasks import ping
from tests.factories import UserFactory

pytestmark = pytest.mark.integration


def test_real_worker_runs_a_task_against_the_test_database(celery_worker_process):
    UserFactory.create_batch(3)
    result = ping.delay("hello")
    assert result.get(timeout=60) == {"pong": "hello", "users": 3}


def test_a_graded_attempt_is_recorded_by_the_worker_after_the_request(celery_worker_process):
    """The submit only queues the xAPI statement (benchmark scenario 2); the real worker records it."""
    import time

    from django.test import Client

    from assessments.models import Attempt
    from assessments.services import attempt_start
    from tests.assessments.factories import quiz_with_questions
    from tests.factories import OrganizationFactory
    from xapi.models import XapiStatement

    learner = UserFactory()
    quiz = quiz_with_questions(organization=OrganizationFactory(), count=3, standalone_open=True)
    attempt = attempt_start(quiz=quiz, user=learner)
    client = Client()
    client.force_login(learner)
    form = {"positions": ["1", "2", "3"], **{f"choice-{position}": "0" for position in (1, 2, 3)}}
    response = client.post(f"/assessments/attempts/{attempt.pk}/submit/", form)
    assert response.status_code == 302
    assert Attempt.objects.get(pk=attempt.pk).submitted_at is not None
    deadline = time.monotonic() + 60
    while not XapiStatement.objects.filter(source_key=f"attempt-graded:{attempt.pk}").exists():
        assert time.monotonic() < deadline, "the worker did not record the statement within 60 s"
        time.sleep(0.2)
    assert XapiStatement.objects.filter(user=learner).count() == 1
