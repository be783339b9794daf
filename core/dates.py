"""Age arithmetic: the one place that says how old someone is on a day."""

from __future__ import annotations

import datetime

EARLIEST_BIRTH_YEAR = 1900


def age_on(birth: datetime.date, day: datetime.date) -> int:
    """Whole years from birth to day (a birthday on 29 February counts from 1 March in other years)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def is_possible_birth_date(birth: datetime.date, today: datetime.date) -> bool:
    """Not in the future and not before 1900."""
    return birth.year >= EARLIEST_BIRTH_YEAR and birth <= today
