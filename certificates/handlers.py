"""Receivers of lower layers' signals. course_completed is sent after its transaction commits, so the receiver
queues its task at once."""

from __future__ import annotations


def on_course_completed(sender, completion, **kwargs) -> None:
    from certificates.tasks import issue_for_completion

    issue_for_completion.delay(completion.pk)
