from certificates.models.certificates import Certificate, CertificateEvent, CertificateStatus
from certificates.models.definitions import CertificateDefinition, CertificateKind, CertificateNumberCounter
from certificates.models.jobs import BulkIssueJob, BulkIssueJobStatus

__all__ = [
    "BulkIssueJob",
    "BulkIssueJobStatus",
    "Certificate",
    "CertificateDefinition",
    "CertificateEvent",
    "CertificateKind",
    "CertificateNumberCounter",
    "CertificateStatus",
]
