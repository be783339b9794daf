"""Reachability checks for /healthz/."""

from __future__ import annotations

from django.conf import settings
from django.db import connection


def database_status() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means "down"
        return False, f"error: {error.__class__.__name__}"
    return True, "ok"


def broker_status() -> tuple[bool, str]:
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL:
        return True, "eager (no broker configured)"
    from lms.celery import app

    try:
        with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:  # noqa: BLE001
        return False, f"error: {error.__class__.__name__}"
    return True, "ok"
