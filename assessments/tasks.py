"""Celery tasks of the assessments app: thin wrappers around services, safe to run twice."""

from celery import shared_task

from assessments.services import attempt_close, attempt_close_expired


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def close_expired_attempts() -> int:
    """Beat: close and grade every attempt left open past its deadline + grace."""
    return attempt_close_expired()


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def close_attempt(attempt_id: int) -> bool:
    """Close one attempt if it is past its deadline + grace; False if it was not due or already closed."""
    return attempt_close(attempt_id=attempt_id) is not None
