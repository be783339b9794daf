"""Star levels by cumulative verified service hours (docs/domain.md): 100, 300, 600, 1000, 1500 hours."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.hours import DEFAULT_MINUTES_PER_HOUR, minutes_to_hours

STAR_THRESHOLDS_HOURS = (100, 300, 600, 1000, 1500)


@dataclass(frozen=True)
class StarLevel:
    stars: int
    hours: Decimal
    next_threshold_hours: int | None
    minutes: int = 0

    @property
    def hours_to_next(self) -> Decimal | None:
        if self.next_threshold_hours is None:
            return None
        return minutes_to_hours(self.next_threshold_hours * DEFAULT_MINUTES_PER_HOUR - self.minutes)


def star_level_for_minutes(minutes: int) -> StarLevel:
    """Thresholds are compared in whole minutes (no rounding decides a star); the figures shown are 学时 of 60."""
    stars = sum(1 for threshold in STAR_THRESHOLDS_HOURS if minutes >= threshold * DEFAULT_MINUTES_PER_HOUR)
    next_threshold = STAR_THRESHOLDS_HOURS[stars] if stars < len(STAR_THRESHOLDS_HOURS) else None
    return StarLevel(stars=stars, hours=minutes_to_hours(minutes), next_threshold_hours=next_threshold, minutes=minutes)
