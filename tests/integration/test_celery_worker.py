import pytest

from lms.tasks import ping
from tests.factories import UserFactory

pytestmark = pytest.mark.integration


def test_real_worker_runs_a_task_against_the_test_database(celery_worker_process):
    UserFactory.create_batch(3)
    result = ping.delay("hello")
    assert result.get(timeout=60) == {"pong": "hello", "users": 3}
