"""Building statements: plain dictionaries in the xAPI 1.0.3 shape, with ADL verbs and activity types."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.conf import settings

VERSION = "1.0.3"
VERBS = {
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
}
ACTIVITY_TYPES = {
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "quiz": "http://adlnet.gov/expapi/activities/assessment",
    "course": "http://adlnet.gov/expapi/activities/course",
}


def site_base() -> str:
    return (getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "http://localhost").rstrip("/")


def activity_iri(activity_type: str, activity_id: int) -> str:
    """A stable IRI per activity; it names the activity, it need not resolve."""
    return f"{site_base()}/xapi/activities/{activity_type}/{activity_id}"


def build_statement(
    *,
    statement_id: uuid.UUID,
    volunteer_number: str,
    verb: str,
    activity_type: str,
    activity_id: int,
    name: str,
    timestamp: datetime.datetime,
    parent: tuple[str, int] | None = None,
    result: dict | None = None,
) -> dict:
    statement: dict = {
        "id": str(statement_id),
        "version": VERSION,
        # The actor is an account keyed by volunteer number: no name, phone or e-mail leaves the platform.
        "actor": {"objectType": "Agent", "account": {"homePage": site_base(), "name": volunteer_number}},
        "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
        "object": {
            "objectType": "Activity",
            "id": activity_iri(activity_type, activity_id),
            "definition": {"type": ACTIVITY_TYPES[activity_type], "name": {"zh-CN": name}},
        },
        "timestamp": timestamp.isoformat(),
        "context": {"platform": "volunteer-training-lms", "language": "zh-CN"},
    }
    if parent is not None:
        statement["context"]["contextActivities"] = {"parent": [{"id": activity_iri(*parent)}]}
    if result is not None:
        statement["result"] = result
    return statement


def score_result(*, score: Decimal | None, max_score: Decimal, percent: Decimal | None, passed: bool | None) -> dict:
    result: dict = {"completion": True, "success": bool(passed)}
    if score is not None and max_score:
        result["score"] = {
            "raw": float(score),
            "min": 0,
            "max": float(max_score),
            "scaled": round(float(percent or 0) / 100, 4),
        }
    return result
