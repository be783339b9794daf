"""One-line receivers of the apps' learning-event signals (connected in lms.apps); each records one statement."""

from __future__ import annotations

from .services import xapi_record_attempt_graded, xapi_record_course_completed, xapi_record_lesson_completed


def on_lesson_completed(sender, progress, **kwargs) -> None:
    xapi_record_lesson_completed(progress_id=progress.pk)


def on_attempt_graded(sender, attempt, **kwargs) -> None:
    xapi_record_attempt_graded(attempt_id=attempt.pk)


def on_course_completed(sender, completion, **kwargs) -> None:
    xapi_record_course_completed(completion_id=completion.pk)
