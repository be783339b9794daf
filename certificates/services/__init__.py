"""Writes of the certificates app. Import from here: `from certificates.services import certificate_issue`."""

from .badges import (
    badge_award_evaluate,
    badge_award_manual,
    badge_award_revoke,
    badge_expiry_reminders_send,
    badges_evaluate_for_learner,
)
from .bulk import bulk_issue_job_create, bulk_issue_job_rerun, bulk_issue_job_run
from .issuing import (
    certificate_issue,
    certificate_issue_for_completion,
    certificate_reissue,
    certificate_render_pdf,
    certificate_revoke,
    certificates_expire_due,
)
from .teams import team_application_accept, team_application_create, team_application_reject

__all__ = [
    "badge_award_evaluate",
    "badge_award_manual",
    "badge_award_revoke",
    "badge_expiry_reminders_send",
    "badges_evaluate_for_learner",
    "bulk_issue_job_create",
    "bulk_issue_job_rerun",
    "bulk_issue_job_run",
    "certificate_issue",
    "certificate_issue_for_completion",
    "certificate_reissue",
    "certificate_render_pdf",
    "certificate_revoke",
    "certificates_expire_due",
    "team_application_accept",
    "team_application_create",
    "team_application_reject",
]
