"""One-line receivers of the apps' learning-event signals (connected in xapi.apps): each queues the recording of one
statement (xapi_record_event_later records it in place if the broker is down). The signals are sent after their
transaction commits, so the receivers act at once."""

from __future__ import annotations

from xapi.services import xapi_record_event_later


def on_lesson_completed(sender, progress, **kwargs) -> None:
    xapi_record_event_later(event="lesson_completed", object_id=progress.pk)


def on_attempt_graded(sender, attempt, **kwargs) -> None:
    xapi_record_event_later(event="attempt_graded", object_id=attempt.pk)


def on_course_completed(sender, completion, **kwargs) -> None:
    xapi_record_event_later(event="course_completed", object_id=completion.pk)
