"""Template filters of the school pages."""

from decimal import Decimal

from django import template

from core.hours import minutes_to_hours

register = template.Library()


@register.filter
def as_hours(minutes: int | None, minutes_per_hour: int) -> Decimal:
    """{{ minutes|as_hours:organization.minutes_per_hour }} -> 学时 with one decimal."""
    return minutes_to_hours(minutes, int(minutes_per_hour or 60))
