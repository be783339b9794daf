"""Minutes and 学时: the one conversion of the project, with one rounding rule.

The ledger stores whole minutes. A 学时 is an organisation's number of minutes (45 or 60; service hours and star
levels use 60). Shown figures have one decimal, rounded half up (15 minutes of a 60-minute 学时 is 0.3, not 0.2),
on every page, PDF, API and export alike.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DEFAULT_MINUTES_PER_HOUR = 60
ONE_DECIMAL = Decimal("0.1")


def minutes_to_hours(minutes: int | None, minutes_per_hour: int | None = DEFAULT_MINUTES_PER_HOUR) -> Decimal:
    """Minutes as 学时 with one decimal, rounded half up."""
    per_hour = int(minutes_per_hour or DEFAULT_MINUTES_PER_HOUR)
    return (Decimal(minutes or 0) / Decimal(per_hour)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def hours_to_minutes(hours: Decimal | int | float | str | None, minutes_per_hour: int | None = None) -> int:
    """学时 as whole minutes, rounded half up (2.5 学时 of 45 minutes is 113 minutes; a course's credit and a
    school's requirement alike)."""
    per_hour = int(minutes_per_hour or DEFAULT_MINUTES_PER_HOUR)
    return int((Decimal(str(hours or 0)) * per_hour).to_integral_value(rounding=ROUND_HALF_UP))


def hours_text(minutes: int | None, minutes_per_hour: int | None = DEFAULT_MINUTES_PER_HOUR) -> str:
    """The figure as text for PDFs and exports: "8", "0.3", "12.5" (no trailing ".0")."""
    value = minutes_to_hours(minutes, minutes_per_hour)
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
