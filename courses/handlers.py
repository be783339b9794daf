"""One-line receivers of lower apps' signals: each evaluates completion after the event's transaction commits."""

from __future__ import annotations

from django.db import transaction

from courses.services.completion import completion_evaluate_by_ids


def on_attempt_graded(sender, attempt, **kwargs) -> None:
    transaction.on_commit(lambda: completion_evaluate_by_ids(user_id=attempt.user_id, course_id=attempt.quiz.course_id))


def on_practical_assessment_recorded(sender, assessment, **kwargs) -> None:
    transaction.on_commit(
        lambda: completion_evaluate_by_ids(user_id=assessment.learner_id, course_id=assessment.rubric.course_id)
    )
