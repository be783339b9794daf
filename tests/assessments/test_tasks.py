import datetime

from django.conf import settings
from django.utils import timezone

from assessments.models import AttemptStatus
from assessments.services import attempt_start
from assessments.tasks import close_attempt, close_expired_attempts
from tests.assessments.factories import quiz_with_questions


def test_beat_closes_expired_attempts(cast):
    assert any(
        entry["task"] == "assessments.tasks.close_expired_attempts" for entry in settings.CELERY_BEAT_SCHEDULE.values()
    )
    quiz = quiz_with_questions(organization=cast.base_x, count=1, time_limit_minutes=1)
    overdue = attempt_start(quiz=quiz, user=cast.learner, now=timezone.now() - datetime.timedelta(hours=1))
    assert close_expired_attempts.delay().get() == 1
    overdue.refresh_from_db()
    assert overdue.status == AttemptStatus.EXPIRED and overdue.score == 0
    assert close_attempt.delay(overdue.pk).get() is False


def test_close_attempt_leaves_a_running_attempt_open(cast):
    quiz = quiz_with_questions(organization=cast.base_x, count=1, time_limit_minutes=30)
    attempt = attempt_start(quiz=quiz, user=cast.learner)
    assert close_attempt.delay(attempt.pk).get() is False
    attempt.refresh_from_db()
    assert attempt.is_open
