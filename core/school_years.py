"""School years run from 1 September to 31 August and are named "2026-2027" (docs/domain.md)."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone

_NAME = re.compile(r"^(\d{4})-(\d{4})$")


def school_year_for(day: datetime.date) -> str:
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{start + 1}"


def current_school_year() -> str:
    return school_year_for(timezone.localdate())


def is_school_year_name(name: str) -> bool:
    match = _NAME.match(name or "")
    return bool(match) and int(match.group(2)) == int(match.group(1)) + 1


def school_year_bounds(name: str) -> tuple[datetime.date, datetime.date]:
    """First and last day (inclusive) of the named school year; ValueError for a malformed name."""
    if not is_school_year_name(name):
        raise ValueError(f"not a school year name: {name!r} (expected e.g. 2026-2027)")
    start = int(name[:4])
    return datetime.date(start, 9, 1), datetime.date(start + 1, 8, 31)


def recent_school_years(count: int = 5, *, today: datetime.date | None = None) -> list[str]:
    current = school_year_for(today or timezone.localdate())
    first = int(current[:4])
    return [f"{year}-{year + 1}" for year in range(first, first - count, -1)]
