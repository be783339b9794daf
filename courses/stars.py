"""Star levels by cumulative verified service hours (DOMAIN.md): 100, 300, 600, 1000, 1500 hours."""

from __future__ import annotations

from dataclasses import dataclass

STAR_THRESHOLDS_HOURS = (100, 300, 600, 1000, 1500)


@dataclass(frozen=True)
class StarLevel:
    stars: int
    hours: float
    next_threshold_hours: int | None

    @property
    def hours_to_next(self) -> float | None:
        if self.next_threshold_hours is None:
            return None
        return round(self.next_threshold_hours - self.hours, 1)


def star_level_for_minutes(minutes: int) -> StarLevel:
    hours = minutes / 60
    stars = sum(1 for threshold in STAR_THRESHOLDS_HOURS if hours >= threshold)
    next_threshold = STAR_THRESHOLDS_HOURS[stars] if stars < len(STAR_THRESHOLDS_HOURS) else None
    return StarLevel(stars=stars, hours=round(hours, 1), next_threshold_hours=next_threshold)
