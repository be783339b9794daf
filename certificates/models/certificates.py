"""Issued certificates: frozen context, number, verification code, status and their audit trail."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from certificates.models.definitions import CertificateDefinition


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


def certificate_pdf_path(instance: Certificate, filename: str) -> str:
    return f"certificates/{instance.issued_at:%Y/%m}/{instance.verification_code}.pdf"


class Certificate(models.Model):
    """An issued certificate. `context` is frozen at issue: later edits to names, courses or hours never change it."""

    definition = models.ForeignKey(
        CertificateDefinition, verbose_name=_("definition"), on_delete=models.PROTECT, related_name="certificates"
    )
    # Denormalised from the definition at issue: numbers are unique per issuer, and lists filter by it.
    issuer = models.ForeignKey(Organization, verbose_name=_("issuer"), on_delete=models.PROTECT, related_name="+")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("holder"), on_delete=models.PROTECT, related_name="certificates"
    )
    # What earned it ("course-completion:12", "school-year:2026-2027", ...); with definition and learner, unique.
    source_key = models.CharField(_("source"), max_length=160)
    source = models.JSONField(_("source parameters"), default=dict, blank=True)
    number = models.CharField(_("number"), max_length=40)
    verification_code = models.CharField(_("verification code"), max_length=32, unique=True)
    context = models.JSONField(_("frozen context"), default=dict)  # PII: the holder's name and masked ID
    status = models.CharField(_("status"), max_length=16, choices=CertificateStatus.choices, default="valid")
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revocation_reason = models.CharField(_("reason for revocation"), max_length=255, blank=True)
    # Re-issuing keeps this record (superseded) and links the new one to it.
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by")
    superseded_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=certificate_pdf_path, blank=True, max_length=200)
    pdf_rendered_at = models.DateTimeField(null=True, blank=True)
    # When the sweeper (certificates_render_missing_pdfs) queued this certificate's rendering; it claims it again only
    # if the PDF is still missing CERTIFICATES_PDF_SWEEP_SECONDS later.
    pdf_claimed_at = models.DateTimeField(null=True, blank=True)
    bulk_job = models.ForeignKey(
        "certificates.BulkIssueJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="certificates"
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "learner", "source_key"],
                condition=Q(superseded_at__isnull=True),
                name="certificate_one_current_per_source",
            ),
            models.UniqueConstraint(fields=["issuer", "number"], name="certificate_unique_number_per_issuer"),
            models.CheckConstraint(
                condition=~Q(status="revoked") | Q(revoked_at__isnull=False), name="certificate_revoked_has_time"
            ),
            models.CheckConstraint(
                condition=Q(superseded_at__isnull=True) | Q(status="revoked"),
                name="certificate_superseded_is_revoked",
            ),
        ]
        indexes = [
            models.Index(fields=["issuer", "status", "issued_at"]),
            models.Index(fields=["learner", "issued_at"]),
            models.Index(fields=["issued_at"], condition=Q(pdf=""), name="certificate_without_pdf"),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.context.get('title', '')}"

    @property
    def permission_owner_id(self) -> int:
        return self.learner_id

    @property
    def permission_organization(self) -> Organization:
        return self.issuer

    def current_status(self, today: datetime.date | None = None) -> str:
        """The status as of today: a valid certificate past its end date is expired even before the nightly job."""
        if (
            self.status == CertificateStatus.VALID
            and self.valid_until is not None
            and self.valid_until < (today or timezone.localdate())
        ):
            return CertificateStatus.EXPIRED
        return self.status

    @property
    def successor(self) -> Certificate | None:
        """The certificate re-issued in place of this one; read (one query) only if this one was superseded."""
        return getattr(self, "replaced_by", None) if self.superseded_at is not None else None

    @property
    def current_status_label(self) -> str:
        return str(CertificateStatus(self.current_status()).label)

    @property
    def is_valid(self) -> bool:
        return self.current_status() == CertificateStatus.VALID

    @property
    def title(self) -> str:
        return self.context.get("title", "")


class CertificateEvent(models.Model):
    """The audit log: every issue, rendering, revocation and re-issue, who and when."""

    class Action(models.TextChoices):
        ISSUED = "issued", _("Issued")
        RENDERED = "rendered", _("PDF rendered")
        REVOKED = "revoked", _("Revoked")
        REISSUED = "reissued", _("Re-issued")
        SUPERSEDED = "superseded", _("Superseded by a re-issue")
        EXPIRED = "expired", _("Expired")

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("certificate event")

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
