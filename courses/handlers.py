"""Receivers of lower apps' signals. Those signals are sent after their transaction commits, so each receiver acts
at once (no on_commit of its own): it evaluates the course's completion, naming the event as its cause."""

from __future__ import annotations

from accounts.models import User
from courses.services.completion import completion_evaluate_by_ids, completions_credit_after_verification


def on_attempt_graded(sender, attempt, **kwargs) -> None:
    completion_evaluate_by_ids(user_id=attempt.user_id, course_id=attempt.quiz.course_id, cause="attempt_graded")


def on_practical_assessment_recorded(sender, assessment, **kwargs) -> None:
    completion_evaluate_by_ids(
        user_id=assessment.learner_id, course_id=assessment.rubric.course_id, cause="practical_assessment_recorded"
    )


def on_user_verified(sender, user, **kwargs) -> None:
    completions_credit_after_verification(user=User.objects.get(pk=user.pk))
