"""What every idempotent Celery task of the project is queued with.

acks_late + reject_on_worker_lost redeliver a task whose worker died; a database that is briefly unreachable is
retried with backoff. The tasks' own idempotence (unique constraints, source keys) makes a replay harmless."""

from django.db import OperationalError

IDEMPOTENT_TASK = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "max_retries": 5,
}
