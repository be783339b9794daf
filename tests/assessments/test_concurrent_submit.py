"""Two submits racing on one attempt: exactly one grades it (PostgreSQL row locks make the race real)."""

import threading

import pytest
from django.db import connection

from assessments.exceptions import AttemptClosed
from assessments.models import Attempt, AttemptStatus
from assessments.services import attempt_start, attempt_submit
from assessments.signals import attempt_graded
from tests.assessments.factories import quiz_with_questions
from tests.conftest import postgres_only

pytestmark = [postgres_only(), pytest.mark.postgres]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submits_give_exactly_one_graded_result(cast):
    quiz = quiz_with_questions(organization=cast.base_x, count=5)
    graded = []
    attempt_graded.connect(
        lambda sender, attempt, **kwargs: graded.append(attempt.pk), weak=False, dispatch_uid="race-test"
    )
    try:
        for _round in range(5):
            attempt = attempt_start(quiz=quiz, user=cast.learner)
            barrier = threading.Barrier(2)
            outcomes = []

            def submit(attempt=attempt, barrier=barrier, outcomes=outcomes):
                try:
                    barrier.wait()
                    attempt_submit(attempt=attempt, user=cast.learner, answers={1: [0]})
                    outcomes.append("graded")
                except AttemptClosed:
                    outcomes.append("rejected")
                finally:
                    connection.close()

            threads = [threading.Thread(target=submit) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert sorted(outcomes) == ["graded", "rejected"]
            attempt.refresh_from_db()
            assert attempt.status == AttemptStatus.SUBMITTED and attempt.score is not None
        assert len(graded) == 5 and len(set(graded)) == 5
        assert Attempt.objects.filter(quiz=quiz, user=cast.learner).count() == 5
    finally:
        attempt_graded.disconnect(dispatch_uid="race-test")
