"""Receivers of lower layers' signals: one line each, queueing a task once the sender's transaction commits."""

from __future__ import annotations

from django.db import transaction


def on_course_completed(sender, completion, **kwargs) -> None:
    from .tasks import issue_for_completion

    transaction.on_commit(lambda: issue_for_completion.delay(completion.pk))


def on_course_completed_badges(sender, completion, **kwargs) -> None:
    from .tasks import evaluate_badges

    transaction.on_commit(lambda: evaluate_badges.delay(completion.user_id, course_ids=[completion.course_id]))


def on_practical_assessment_recorded(sender, assessment, **kwargs) -> None:
    from .tasks import evaluate_badges

    transaction.on_commit(lambda: evaluate_badges.delay(assessment.learner_id, rubric_ids=[assessment.rubric_id]))


def on_attempt_graded(sender, attempt, **kwargs) -> None:
    from .tasks import evaluate_badges

    transaction.on_commit(lambda: evaluate_badges.delay(attempt.user_id, quiz_ids=[attempt.quiz_id]))
