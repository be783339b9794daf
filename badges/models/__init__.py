"""Badge classes, criteria, awards and reminders; specialised teams' requirements and applications."""

from badges.models.badges import (
    AWARD_STATUS_LABELS,
    BadgeAward,
    BadgeClass,
    BadgeExpiryReminder,
    BadgeQuizRequirement,
    valid_awards_q,
)
from badges.models.teams import TeamApplication, TeamApplicationStatus, TeamRequiredBadge

__all__ = [
    "AWARD_STATUS_LABELS",
    "BadgeAward",
    "BadgeClass",
    "BadgeExpiryReminder",
    "BadgeQuizRequirement",
    "TeamApplication",
    "TeamApplicationStatus",
    "TeamRequiredBadge",
    "valid_awards_q",
]
