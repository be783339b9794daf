"""Receivers of lower layers' signals: one line each, queueing a task once the sender's transaction commits."""

from __future__ import annotations

from django.db import transaction


def on_course_completed(sender, completion, **kwargs) -> None:
    from certificates.tasks import issue_for_completion

    transaction.on_commit(lambda: issue_for_completion.delay(completion.pk))
