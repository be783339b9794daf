"""Issuing, rendering, revoking and re-issuing certificates."""

from __future__ import annotations

import datetime
import logging
import secrets
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import user_can
from certificates.models import (
    Certificate,
    CertificateDefinition,
    CertificateEvent,
    CertificateKind,
    CertificateNumberCounter,
    CertificateStatus,
)
from certificates.services.context import CertificateNotEarned, build_context

logger = logging.getLogger(__name__)

VERIFICATION_CODE_BYTES = 12  # 96 bits from secrets, URL-safe: 16 characters
MISSING_PDFS_PER_SWEEP = 200  # a minute's worth of renderings for one worker, at most


def _new_verification_code() -> str:
    return secrets.token_urlsafe(VERIFICATION_CODE_BYTES)


def _lock_counter(*, definition: CertificateDefinition, year: int) -> CertificateNumberCounter:
    """Lock the issuer's sequence for this year; the lock holds until the issuing transaction ends."""
    key: dict[str, Any] = {"issuer_id": definition.issuer_id, "year": year, "prefix": definition.number_prefix}
    try:
        with transaction.atomic():
            CertificateNumberCounter.objects.get_or_create(**key)
    except IntegrityError:
        pass  # another transaction created it first; the locked read below waits for it
    return CertificateNumberCounter.objects.select_for_update().get(**key)


def _current(*, definition: CertificateDefinition, learner: User, source_key: str) -> Certificate | None:
    return Certificate.objects.filter(
        definition=definition, learner=learner, source_key=source_key, superseded_at__isnull=True
    ).first()


@transaction.atomic
def certificate_issue(
    *,
    definition: CertificateDefinition,
    learner: User,
    source: dict,
    issued_by: User | None = None,
    bulk_job=None,
    replaces: Certificate | None = None,
) -> tuple[Certificate, bool]:
    """Issue one certificate; returns (certificate, created). Idempotent: a replay returns the existing certificate.

    Raises CertificateNotEarned (a ValidationError) when the learner does not qualify. The PDF is rendered
    separately (certificate_render_pdf), after this transaction commits.
    """
    if not definition.is_active and replaces is None:
        raise ValidationError(_("The certificate definition “%(title)s” is not active.") % {"title": definition.title})
    source_key, context = build_context(definition=definition, learner=learner, source=source)
    existing = _current(definition=definition, learner=learner, source_key=source_key)
    if existing is not None:
        return existing, False
    now = timezone.now()
    issued_on = timezone.localdate(now)
    counter = _lock_counter(definition=definition, year=issued_on.year)
    # Under the counter lock a concurrent issue of the same certificate has committed or not started: look again
    # before taking a number, so that numbers stay gap-free.
    existing = _current(definition=definition, learner=learner, source_key=source_key)
    if existing is not None:
        return existing, False
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    number = f"{definition.number_prefix}{issued_on.year}{counter.last_number:06d}"
    context["number"] = number
    context["issued_on"] = issued_on.isoformat()
    valid_until = issued_on + relativedelta(months=definition.validity_months) if definition.validity_months else None
    context["valid_until"] = valid_until.isoformat() if valid_until else ""
    certificate = Certificate.objects.create(
        definition=definition,
        issuer_id=definition.issuer_id,
        learner=learner,
        source_key=source_key,
        source={key: str(value) if value is not None else None for key, value in source.items()},
        number=number,
        verification_code=_new_verification_code(),
        context=context,
        issued_at=now,
        valid_until=valid_until,
        issued_by=issued_by,
        bulk_job=bulk_job,
        replaces=replaces,
    )
    CertificateEvent.objects.create(
        certificate=certificate,
        action=CertificateEvent.Action.ISSUED,
        actor=issued_by,
        data={"number": number, "source_key": source_key, "replaces": replaces.pk if replaces else None},
    )
    return certificate, True


def certificate_issue_for_completion(*, completion) -> list[Certificate]:
    """Issue the course certificate (and a curriculum certificate the completion finishes). Idempotent."""
    from content.models import CurriculumPage

    course = completion.course
    if not course.earns_certificate:
        return []
    issued: list[Certificate] = []
    definition = CertificateDefinition.objects.filter(
        kind=CertificateKind.COURSE, course=course, is_active=True
    ).first()
    if definition is not None:
        certificate, _created = certificate_issue(
            definition=definition, learner=completion.user, source={"completion_id": completion.pk}
        )
        issued.append(certificate)
    curriculum = CurriculumPage.objects.parent_of(course).first()
    if curriculum is not None:
        for definition in CertificateDefinition.objects.filter(
            kind=CertificateKind.CURRICULUM, curriculum=curriculum, is_active=True
        ):
            try:
                certificate, _created = certificate_issue(
                    definition=definition, learner=completion.user, source={"curriculum_id": curriculum.pk}
                )
            except CertificateNotEarned:
                continue  # other courses of the curriculum are still to do
            issued.append(certificate)
    return issued


def certificate_render_pdf(*, certificate: Certificate, force: bool = False) -> Certificate:
    """Render and store the PDF unless a stored one exists. Idempotent; safe to run again after a crash."""
    from certificates.rendering import render_certificate_pdf

    if certificate.pdf and not force and certificate.pdf.storage.exists(certificate.pdf.name or ""):
        return certificate
    data = render_certificate_pdf(certificate=certificate)
    previous_name = certificate.pdf.name
    certificate.pdf.save(f"{certificate.verification_code}.pdf", ContentFile(data), save=False)
    # A concurrent render may have stored its file first; keep the row pointing at one file only.
    updated = Certificate.objects.filter(pk=certificate.pk, pdf=previous_name).update(
        pdf=certificate.pdf.name, pdf_rendered_at=timezone.now()
    )
    if not updated:
        certificate.pdf.storage.delete(certificate.pdf.name or "")
        certificate.refresh_from_db()
        return certificate
    if previous_name and previous_name != certificate.pdf.name:
        certificate.pdf.storage.delete(previous_name)
    CertificateEvent.objects.create(
        certificate=certificate, action=CertificateEvent.Action.RENDERED, data={"file": certificate.pdf.name}
    )
    return certificate


def _missing_pdf(cutoff) -> Q:
    return Q(pdf="", issued_at__lt=cutoff) & (Q(pdf_claimed_at__isnull=True) | Q(pdf_claimed_at__lt=cutoff))


def certificates_claim_missing_pdfs(*, limit: int = MISSING_PDFS_PER_SWEEP) -> list[int]:
    """Claim certificates still without a PDF CERTIFICATES_PDF_SWEEP_SECONDS after issue (their rendering died).
    A claim holds as long again: two sweeps queue one rendering, and a rendering that died is claimed again."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.CERTIFICATES_PDF_SWEEP_SECONDS)
    candidates = list(
        Certificate.objects.filter(_missing_pdf(cutoff)).order_by("issued_at").values_list("pk", flat=True)[:limit]
    )
    return [
        pk
        for pk in candidates
        if Certificate.objects.filter(_missing_pdf(cutoff), pk=pk).update(pdf_claimed_at=timezone.now()) == 1
    ]


def certificates_render_missing_pdfs() -> int:
    """Claim the certificates left without a PDF and queue the rendering of each. Idempotent."""
    from certificates.tasks import render_pdf

    claimed = certificates_claim_missing_pdfs()
    for pk in claimed:
        render_pdf.delay(pk)
    return len(claimed)


def _check_may_issue(*, actor: User, definition: CertificateDefinition) -> None:
    if not user_can(actor, "issue_certificates", definition.issuer):
        raise PermissionDenied(_("Only the issuing organisation may change its certificates."))


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, actor: User, reason: str) -> Certificate:
    """Revoke with a reason. Idempotent: revoking a revoked certificate changes nothing."""
    _check_may_issue(actor=actor, definition=certificate.definition)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please give a reason for revoking this certificate.")})
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.status == CertificateStatus.REVOKED:
        return locked
    previous = locked.status
    locked.status = CertificateStatus.REVOKED
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.revocation_reason = reason[:255]
    locked.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"])
    CertificateEvent.objects.create(
        certificate=locked,
        action=CertificateEvent.Action.REVOKED,
        actor=actor,
        note=reason,
        data={"from_status": previous},
    )
    return locked


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, actor: User, reason: str) -> Certificate:
    """Supersede a certificate with a new one (new number and code, context rebuilt from today's data).

    The old record stays, revoked and linked from the new one. Not idempotent: each call re-issues once more
    (a superseded certificate cannot be re-issued again; re-issue its successor).
    """
    _check_may_issue(actor=actor, definition=certificate.definition)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please give a reason for re-issuing this certificate.")})
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.superseded_at is not None:
        raise ValidationError(_("This certificate was already re-issued; re-issue its newest version instead."))
    now = timezone.now()
    locked.superseded_at = now
    if locked.status != CertificateStatus.REVOKED:
        locked.status = CertificateStatus.REVOKED
        locked.revoked_at = now
        locked.revoked_by = actor
        locked.revocation_reason = (_("Replaced by a re-issued certificate: %(reason)s") % {"reason": reason})[:255]
    locked.save(update_fields=["superseded_at", "status", "revoked_at", "revoked_by", "revocation_reason"])
    CertificateEvent.objects.create(
        certificate=locked, action=CertificateEvent.Action.SUPERSEDED, actor=actor, note=reason
    )
    new, _created = certificate_issue(
        definition=locked.definition, learner=locked.learner, source=locked.source, issued_by=actor, replaces=locked
    )
    CertificateEvent.objects.create(
        certificate=new, action=CertificateEvent.Action.REISSUED, actor=actor, note=reason, data={"replaces": locked.pk}
    )
    return new


@transaction.atomic
def certificates_expire_due(*, today=None) -> int:
    """Mark valid certificates past their end date expired, with an audit event each. Idempotent."""
    today = today or timezone.localdate()
    due = list(Certificate.objects.select_for_update().filter(status=CertificateStatus.VALID, valid_until__lt=today))
    for certificate in due:
        certificate.status = CertificateStatus.EXPIRED
        certificate.save(update_fields=["status"])
        CertificateEvent.objects.create(certificate=certificate, action=CertificateEvent.Action.EXPIRED)
    return len(due)
