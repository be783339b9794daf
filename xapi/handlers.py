"""One-line receivers of the apps' learning-event signals (connected in lms.apps): each queues the recording of one
statement after the commit (xapi_record_event_later records it in place if the broker is down)."""

from __future__ import annotations

from django.db import transaction

from xapi.services import xapi_record_event_later


def on_lesson_completed(sender, progress, **kwargs) -> None:
    transaction.on_commit(lambda: xapi_record_event_later(event="lesson_completed", object_id=progress.pk))


def on_attempt_graded(sender, attempt, **kwargs) -> None:
    transaction.on_commit(lambda: xapi_record_event_later(event="attempt_graded", object_id=attempt.pk))


def on_course_completed(sender, completion, **kwargs) -> None:
    transaction.on_commit(lambda: xapi_record_event_later(event="course_completed", object_id=completion.pk))
