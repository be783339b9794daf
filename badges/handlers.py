"""Receivers of lower layers' signals: one line each, queueing badge evaluation once the sender's transaction
commits."""

from __future__ import annotations

from django.db import transaction


def on_course_completed(sender, completion, **kwargs) -> None:
    from badges.tasks import evaluate_badges

    transaction.on_commit(lambda: evaluate_badges.delay(completion.user_id, course_ids=[completion.course_id]))


def on_practical_assessment_recorded(sender, assessment, **kwargs) -> None:
    from badges.tasks import evaluate_badges

    transaction.on_commit(lambda: evaluate_badges.delay(assessment.learner_id, rubric_ids=[assessment.rubric_id]))


def on_attempt_graded(sender, attempt, **kwargs) -> None:
    from badges.tasks import evaluate_badges

    transaction.on_commit(lambda: evaluate_badges.delay(attempt.user_id, quiz_ids=[attempt.quiz_id]))
