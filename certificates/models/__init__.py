from .badges import (
    AWARD_STATUS_LABELS,
    BadgeAward,
    BadgeClass,
    BadgeExpiryReminder,
    BadgeQuizRequirement,
    valid_awards_q,
)
from .certificates import Certificate, CertificateEvent, CertificateStatus
from .definitions import CertificateDefinition, CertificateKind, CertificateNumberCounter
from .jobs import BulkIssueJob, BulkIssueJobStatus
from .teams import TeamApplication, TeamApplicationStatus, TeamRequiredBadge

__all__ = [
    "AWARD_STATUS_LABELS",
    "BadgeAward",
    "BadgeClass",
    "BadgeExpiryReminder",
    "BadgeQuizRequirement",
    "BulkIssueJob",
    "BulkIssueJobStatus",
    "Certificate",
    "CertificateDefinition",
    "CertificateEvent",
    "CertificateKind",
    "CertificateNumberCounter",
    "CertificateStatus",
    "TeamApplication",
    "TeamApplicationStatus",
    "TeamRequiredBadge",
    "valid_awards_q",
]
