"""xAPI tasks: record a learning event's statement outside the request, and forward statements to the LRS."""

from celery import shared_task


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def xapi_forward(statement_id: str) -> bool:
    """Send one xAPI statement to the LRS; retried with backoff while the LRS is unreachable. Idempotent."""
    from xapi.models import XapiStatement
    from xapi.services import xapi_statement_forward

    statement = XapiStatement.objects.filter(pk=statement_id).first()
    if statement is None:
        return False
    return xapi_statement_forward(statement=statement)  # LrsUnavailable is a ConnectionError: retried


@shared_task(acks_late=True, reject_on_worker_lost=True)
def xapi_record(event: str, object_id: int) -> str | None:
    """Record the xAPI statement of one learning event, outside the learner's request. Idempotent (one statement per
    event); returns the statement id, or None when the event no longer qualifies."""
    from xapi.services import xapi_record_event

    statement = xapi_record_event(event=event, object_id=object_id)
    return str(statement.pk) if statement is not None else None
