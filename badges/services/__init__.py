"""Writes of the badges app. Import from here: `from badges.services import badge_award_manual`."""

from badges.services.badges import (
    badge_award_evaluate,
    badge_award_manual,
    badge_award_revoke,
    badge_expiry_reminders_send,
    badges_evaluate_for_learner,
)
from badges.services.teams import team_application_accept, team_application_create, team_application_reject

__all__ = [
    "badge_award_evaluate",
    "badge_award_manual",
    "badge_award_revoke",
    "badge_expiry_reminders_send",
    "badges_evaluate_for_learner",
    "team_application_accept",
    "team_application_create",
    "team_application_reject",
]
