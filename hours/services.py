"""The hours ledger's writes. Recording is idempotent by source key; verification follows 谁记录谁证明."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from accounts.permissions import user_can
from core.school_years import school_year_for
from hours.models import HoursEntry, HoursEntryEvent, HoursKind, HoursStatus
from hours.signals import hours_verified


@transaction.atomic
def hours_entry_record(
    *,
    user: User,
    kind: str,
    minutes: int,
    occurred_on: datetime.date,
    source_key: str,
    credited_organization: Organization | None = None,
    recorded_by_organization: Organization | None = None,
    recorded_by: User | None = None,
    description: str = "",
    verified: bool = False,
) -> tuple[HoursEntry, bool]:
    """Credit minutes once per source key; returns (entry, created). Idempotent: a replay returns the first entry."""
    if kind not in HoursKind.values:
        raise ValidationError({"kind": _("Unknown kind of hours: %(kind)s") % {"kind": kind}})
    if minutes <= 0:
        raise ValidationError({"minutes": _("The duration must be more than 0 minutes.")})
    existing = HoursEntry.objects.filter(source_key=source_key).first()
    if existing is not None:
        return existing, False
    now = timezone.now()
    status = HoursStatus.VERIFIED if verified else HoursStatus.PENDING
    entry, created = HoursEntry.objects.get_or_create(
        source_key=source_key,
        defaults={
            "user": user,
            "kind": kind,
            "minutes": minutes,
            "occurred_on": occurred_on,
            "school_year": school_year_for(occurred_on),
            "credited_organization": credited_organization,
            "recorded_by_organization": recorded_by_organization,
            "recorded_by": recorded_by,
            "description": description[:255],
            "status": status,
            "verified_by": recorded_by if verified else None,
            "verified_at": now if verified else None,
        },
    )
    if created:
        HoursEntryEvent.objects.create(
            entry=entry, action=HoursEntryEvent.Action.CREATED, actor=recorded_by, to_status=status
        )
        if verified:
            transaction.on_commit(lambda: hours_verified.send(sender=HoursEntry, entry=entry))
    return entry, created


def _check_may_verify(*, entry: HoursEntry, verifier: User) -> None:
    organization = entry.recorded_by_organization
    if organization is None or not user_can(verifier, "verify_practice", organization):
        raise PermissionDenied(_("Only the organisation that recorded this service may verify it."))


@transaction.atomic
def hours_entry_verify(*, entry: HoursEntry, verifier: User, note: str = "") -> HoursEntry:
    """Mark a pending entry verified. Idempotent: verifying a verified entry changes nothing."""
    _check_may_verify(entry=entry, verifier=verifier)
    locked = HoursEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.status == HoursStatus.VERIFIED:
        return locked
    previous = locked.status
    locked.status = HoursStatus.VERIFIED
    locked.verified_by = verifier
    locked.verified_at = timezone.now()
    locked.save(update_fields=["status", "verified_by", "verified_at", "updated_at"])
    HoursEntryEvent.objects.create(
        entry=locked,
        action=HoursEntryEvent.Action.VERIFIED,
        actor=verifier,
        from_status=previous,
        to_status=locked.status,
        note=note,
    )
    transaction.on_commit(lambda: hours_verified.send(sender=HoursEntry, entry=locked))
    return locked


@transaction.atomic
def hours_entry_reject(*, entry: HoursEntry, verifier: User, reason: str) -> HoursEntry:
    """Reject an entry with a reason. Idempotent for an already rejected entry."""
    _check_may_verify(entry=entry, verifier=verifier)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Please give a reason for rejecting these hours.")})
    locked = HoursEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.status == HoursStatus.REJECTED:
        return locked
    previous = locked.status
    locked.status = HoursStatus.REJECTED
    locked.verified_by = verifier
    locked.verified_at = None
    locked.save(update_fields=["status", "verified_by", "verified_at", "updated_at"])
    HoursEntryEvent.objects.create(
        entry=locked,
        action=HoursEntryEvent.Action.REJECTED,
        actor=verifier,
        from_status=previous,
        to_status=locked.status,
        note=reason.strip(),
    )
    return locked
