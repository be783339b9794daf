"""Recording statements (idempotent by event) and forwarding them to the LRS."""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from accounts.models import Organization, User
from assessments.models import Attempt
from courses.models import CourseCompletion, LessonProgress
from courses.selectors.learners import learner_school
from xapi.models import XapiStatement
from xapi.statements import build_statement, score_result

logger = logging.getLogger(__name__)


def lrs_configured() -> bool:
    return bool(getattr(settings, "XAPI_LRS_URL", ""))


@transaction.atomic
def xapi_statement_record(
    *,
    user: User,
    verb: str,
    activity_type: str,
    activity_id: int,
    name: str,
    source_key: str,
    timestamp: datetime.datetime,
    organization: Organization | None = None,
    parent: tuple[str, int] | None = None,
    result: dict | None = None,
) -> tuple[XapiStatement, bool]:
    """Store one statement per event and queue it for the LRS when one is configured; returns (statement, created).
    Idempotent: the same source key returns the first statement."""
    existing = XapiStatement.objects.filter(source_key=source_key).first()
    if existing is not None:
        return existing, False
    statement_id = uuid.uuid4()
    payload = build_statement(
        statement_id=statement_id,
        volunteer_number=user.volunteer_number,
        verb=verb,
        activity_type=activity_type,
        activity_id=activity_id,
        name=name,
        timestamp=timestamp,
        parent=parent,
        result=result,
    )
    try:
        with transaction.atomic():
            statement = XapiStatement.objects.create(
                id=statement_id,
                user=user,
                verb=verb,
                activity_type=activity_type,
                activity_id=activity_id,
                organization=organization,
                source_key=source_key,
                statement=payload,
                timestamp=timestamp,
            )
    except IntegrityError:
        return XapiStatement.objects.get(source_key=source_key), False
    if lrs_configured():
        from xapi.tasks import xapi_forward

        # robust: an unreachable broker must not fail the learner's request; the statement stays unforwarded.
        transaction.on_commit(lambda: xapi_forward.delay(str(statement.pk)), robust=True)
    return statement, True


def xapi_record_lesson_completed(*, progress_id: int) -> XapiStatement | None:
    """Idempotent."""
    progress = LessonProgress.objects.select_related("user", "lesson").filter(pk=progress_id).first()
    if progress is None or progress.completed_at is None:
        return None
    statement, _created = xapi_statement_record(
        user=progress.user,
        verb="completed",
        activity_type="lesson",
        activity_id=progress.lesson_id,
        name=progress.lesson.title,
        source_key=f"lesson-completed:{progress.pk}",
        timestamp=progress.completed_at,
        organization=learner_school(user=progress.user),
        parent=("course", progress.course_id),
        result={"completion": True},
    )
    return statement


def xapi_record_attempt_graded(*, attempt_id: int) -> XapiStatement | None:
    """Idempotent."""
    attempt = Attempt.objects.select_related("user", "quiz").filter(pk=attempt_id).first()
    if attempt is None or attempt.is_open or attempt.submitted_at is None:
        return None
    statement, _created = xapi_statement_record(
        user=attempt.user,
        verb="passed" if attempt.passed else "failed",
        activity_type="quiz",
        activity_id=attempt.quiz_id,
        name=attempt.quiz.title,
        source_key=f"attempt-graded:{attempt.pk}",
        timestamp=attempt.submitted_at,
        organization=learner_school(user=attempt.user),
        parent=("course", attempt.quiz.course_id) if attempt.quiz.course_id else None,
        result=score_result(
            score=attempt.score, max_score=attempt.max_score, percent=attempt.percent, passed=attempt.passed
        ),
    )
    return statement


def xapi_record_course_completed(*, completion_id: int) -> XapiStatement | None:
    """Idempotent."""
    completion = CourseCompletion.objects.select_related("user", "course").filter(pk=completion_id).first()
    if completion is None:
        return None
    result: dict = {"completion": True, "success": True}
    if completion.score_percent is not None:
        result["score"] = {"scaled": round(float(completion.score_percent) / 100, 4)}
    statement, _created = xapi_statement_record(
        user=completion.user,
        verb="completed",
        activity_type="course",
        activity_id=completion.course_id,
        name=completion.course.title,
        source_key=f"course-completed:{completion.pk}",
        timestamp=completion.completed_at,
        organization=learner_school(user=completion.user),
        result=result,
    )
    return statement


class LrsUnavailable(ConnectionError):
    """The LRS did not take the statement this time (network error or 5xx); the task retries."""


def xapi_statement_forward(*, statement: XapiStatement, now: datetime.datetime | None = None) -> bool:
    """PUT the statement to the LRS under its own id (so a replay is harmless); True once it is stored there.
    Idempotent: a forwarded statement is not sent again. Raises LrsUnavailable for errors worth retrying."""
    import requests

    if statement.forwarded_at is not None or not lrs_configured():
        return statement.forwarded_at is not None
    url = str(settings.XAPI_LRS_URL).rstrip("/") + "/statements"
    username = getattr(settings, "XAPI_LRS_USERNAME", "") or ""
    auth = (username, getattr(settings, "XAPI_LRS_PASSWORD", "") or "") if username else None
    try:
        response = requests.put(
            url,
            params={"statementId": str(statement.pk)},
            json=statement.statement,
            auth=auth,
            headers={"X-Experience-API-Version": "1.0.3"},
            timeout=getattr(settings, "XAPI_LRS_TIMEOUT", 10),
        )
    except requests.RequestException as error:
        raise LrsUnavailable(str(error)) from error
    # 409: the LRS already holds a statement with this id, i.e. an earlier try got through.
    if response.status_code in (200, 204, 409):
        XapiStatement.objects.filter(pk=statement.pk, forwarded_at__isnull=True).update(
            forwarded_at=now or timezone.now()
        )
        return True
    if response.status_code >= 500 or response.status_code == 429:
        raise LrsUnavailable(f"LRS answered {response.status_code}")
    return False


_RECORDERS: dict[str, Callable[[int], XapiStatement | None]] = {
    "lesson_completed": lambda pk: xapi_record_lesson_completed(progress_id=pk),
    "attempt_graded": lambda pk: xapi_record_attempt_graded(attempt_id=pk),
    "course_completed": lambda pk: xapi_record_course_completed(completion_id=pk),
}


def xapi_record_event(*, event: str, object_id: int) -> XapiStatement | None:
    """Record the statement of one event by name (the task's entry point). Idempotent."""
    recorder = _RECORDERS.get(event)
    if recorder is None:
        raise ValueError(f"unknown xAPI event {event!r}; expected one of {', '.join(_RECORDERS)}")
    return recorder(object_id)


def xapi_record_event_later(*, event: str, object_id: int) -> None:
    """Queue the recording for a worker, so that the learner's request does not wait for it (benchmark scenario 2).
    If the broker cannot take the task, record it now instead: an unreachable broker never loses a statement.
    Idempotent, like the recording."""
    from xapi.tasks import xapi_record

    try:
        xapi_record.delay(event, object_id)
    except BrokerUnavailable:
        logger.warning("broker unavailable: recording the xAPI statement of %s %s in the request", event, object_id)
        xapi_record_event(event=event, object_id=object_id)
