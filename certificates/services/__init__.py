"""Writes of the certificates app. Import from here: `from certificates.services import certificate_issue`."""

from certificates.services.bulk import (
    bulk_issue_job_create,
    bulk_issue_job_rerun,
    bulk_issue_job_run,
    bulk_issue_jobs_claim_stalled,
    bulk_issue_jobs_resume_stalled,
)
from certificates.services.issuing import (
    certificate_issue,
    certificate_issue_for_completion,
    certificate_reissue,
    certificate_render_pdf,
    certificate_revoke,
    certificates_claim_missing_pdfs,
    certificates_expire_due,
    certificates_render_missing_pdfs,
)

__all__ = [
    "bulk_issue_job_create",
    "bulk_issue_job_rerun",
    "bulk_issue_job_run",
    "bulk_issue_jobs_claim_stalled",
    "bulk_issue_jobs_resume_stalled",
    "certificate_issue",
    "certificate_issue_for_completion",
    "certificate_reissue",
    "certificate_render_pdf",
    "certificate_revoke",
    "certificates_claim_missing_pdfs",
    "certificates_expire_due",
    "certificates_render_missing_pdfs",
]
