"""Celery tasks of badges: take ids, load, call a service. Idempotent (one award per badge class and learner while
valid, one reminder per award and threshold); acks_late + reject_on_worker_lost redeliver a task whose worker died."""

from __future__ import annotations

from celery import shared_task

from core.tasks import IDEMPOTENT_TASK


@shared_task(**IDEMPOTENT_TASK)
def evaluate_badges(
    learner_id: int,
    course_ids: list[int] | None = None,
    rubric_ids: list[int] | None = None,
    quiz_ids: list[int] | None = None,
) -> list[int]:
    from accounts.models import User
    from badges.services import badges_evaluate_for_learner

    learner = User.objects.filter(pk=learner_id).first()
    if learner is None:
        return []
    awards = badges_evaluate_for_learner(
        learner=learner, course_ids=course_ids or (), rubric_ids=rubric_ids or (), quiz_ids=quiz_ids or ()
    )
    return [award.pk for award in awards]


@shared_task(**IDEMPOTENT_TASK)
def send_badge_expiry_reminders() -> int:
    from badges.services import badge_expiry_reminders_send

    return badge_expiry_reminders_send()
