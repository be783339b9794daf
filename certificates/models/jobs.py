"""Bulk issuing: one row per job, with counts the progress page polls and the failures listed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from certificates.models.definitions import CertificateDefinition


class BulkIssueJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")


class BulkIssueJob(models.Model):
    definition = models.ForeignKey(
        CertificateDefinition, verbose_name=_("definition"), on_delete=models.PROTECT, related_name="bulk_jobs"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    learner_ids = models.JSONField(default=list)
    # Kind-specific parameters: {"school_year": "2026-2027"} or {"period_start": ..., "period_end": ...}.
    parameters = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=BulkIssueJobStatus.choices, default=BulkIssueJobStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    issued_count = models.PositiveIntegerField(default=0)
    existing_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    failures = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Each run claims the job by raising run_number and writes progress only while the number is still its own, so a
    # run that was resumed elsewhere stops. last_progress_at is its heartbeat: a running job without progress for
    # CERTIFICATES_BULK_STALL_SECONDS lost its worker and is resumed (resumed_count counts those resumes).
    run_number = models.PositiveIntegerField(default=0)
    last_progress_at = models.DateTimeField(null=True, blank=True)
    resumed_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bulk issuing job")
        verbose_name_plural = _("bulk issuing jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(processed__lte=models.F("total")), name="bulkjob_processed_le_total"),
        ]
        indexes = [models.Index(fields=["status", "last_progress_at"], name="bulkjob_status_progress")]

    def __str__(self) -> str:
        return f"{self.definition} · {self.processed}/{self.total}"

    @property
    def permission_organization(self) -> Organization:
        return self.definition.issuer

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(self.processed * 100 / self.total)

    @property
    def is_finished(self) -> bool:
        return self.status == BulkIssueJobStatus.DONE
