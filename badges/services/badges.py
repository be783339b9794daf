"""Awarding, revoking and reminding badges. Each award is one validity period, unique in the database per badge
class, learner and start day, so replays and concurrent evaluations never award twice."""

from __future__ import annotations

import datetime
import logging

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import user_can
from badges.models import BadgeAward, BadgeClass, BadgeExpiryReminder
from badges.openbadges.credentials import credential_for, credential_jwt
from badges.openbadges.urls import absolute
from badges.selectors import badge_classes_using, badge_criteria_evaluate
from badges.signals import badge_awarded

logger = logging.getLogger(__name__)

REMINDER_DAYS = (60, 14)


def _valid_until(badge_class: BadgeClass, valid_from: datetime.date) -> datetime.date | None:
    if not badge_class.validity_months:
        return None
    return valid_from + relativedelta(months=badge_class.validity_months)


def _create_award(
    *,
    badge_class: BadgeClass,
    learner: User,
    valid_from: datetime.date,
    evidence: list[dict],
    evidence_note: str = "",
    awarded_by: User | None = None,
) -> BadgeAward | None:
    """Insert the award and its signed credential; None when this validity period was already awarded."""
    try:
        with transaction.atomic():
            award = BadgeAward.objects.create(
                badge_class=badge_class,
                learner=learner,
                issuer_id=badge_class.issuer_id,
                valid_from=valid_from,
                valid_until=_valid_until(badge_class, valid_from),
                evidence=evidence,
                evidence_note=evidence_note,
                awarded_by=awarded_by,
            )
    except IntegrityError:
        return None  # a replay, or a concurrent evaluation that won: the period is awarded once
    # The credential names the award's own URLs (its id), so it is built after the row exists.
    award.credential = credential_for(award)
    award.credential_jwt = credential_jwt(award.credential, award=award)
    award.save(update_fields=["credential", "credential_jwt"])
    transaction.on_commit(lambda: badge_awarded.send(sender=BadgeAward, award=award))
    return award


@transaction.atomic
def badge_award_evaluate(
    *, badge_class: BadgeClass, learner: User, at: datetime.datetime | None = None
) -> BadgeAward | None:
    """Award the badge if its criteria are met by evidence newer than the learner's last award of it.

    Idempotent: the same evidence gives the same validity period, which is awarded once. Evidence already past its
    validity awards nothing; a revoked award is never re-awarded from the same evidence."""
    at = at or timezone.now()
    result = badge_criteria_evaluate(badge_class=badge_class, learner=learner, at=at)
    if not result.met or result.earned_on is None:
        return None
    if BadgeAward.objects.filter(badge_class=badge_class, learner=learner, valid_from__gte=result.earned_on).exists():
        return None
    valid_until = _valid_until(badge_class, result.earned_on)
    if valid_until is not None and valid_until < timezone.localdate(at):
        return None
    return _create_award(
        badge_class=badge_class,
        learner=learner,
        valid_from=result.earned_on,
        evidence=[item.as_json() for item in result.evidence],
    )


def badges_evaluate_for_learner(
    *, learner: User, course_ids=(), rubric_ids=(), quiz_ids=(), at: datetime.datetime | None = None
) -> list[BadgeAward]:
    """Evaluate every active badge whose criteria mention what just happened. Idempotent."""
    awards = []
    for badge_class in badge_classes_using(course_ids=course_ids, rubric_ids=rubric_ids, quiz_ids=quiz_ids):
        award = badge_award_evaluate(badge_class=badge_class, learner=learner, at=at)
        if award is not None:
            awards.append(award)
    return awards


@transaction.atomic
def badge_award_manual(
    *,
    badge_class: BadgeClass,
    learner: User,
    actor: User,
    evidence_note: str,
    valid_from: datetime.date | None = None,
) -> BadgeAward:
    """An issuer awards the badge by hand, with evidence (e.g. a certificate from elsewhere). Not idempotent in
    effect: a second award for the same start day is refused with a message."""
    if not user_can(actor, "issue_certificates", badge_class.issuer):
        raise PermissionDenied(_("Only the issuing organisation may award this badge."))
    evidence_note = (evidence_note or "").strip()
    if not evidence_note:
        raise ValidationError({"evidence_note": _("Describe the evidence for this award.")})
    if not badge_class.is_active:
        raise ValidationError(_("The badge “%(name)s” is not active.") % {"name": badge_class.name})
    today = timezone.localdate()
    valid_from = valid_from or today
    if valid_from > today:
        raise ValidationError({"valid_from": _("The award cannot start in the future.")})
    valid_until = _valid_until(badge_class, valid_from)
    if valid_until is not None and valid_until < today:
        raise ValidationError({"valid_from": _("An award from this day would already have expired.")})
    award = _create_award(
        badge_class=badge_class,
        learner=learner,
        valid_from=valid_from,
        evidence=[],
        evidence_note=evidence_note,
        awarded_by=actor,
    )
    if award is None:
        raise ValidationError(
            _("%(name)s already holds “%(badge)s” from %(day)s.")
            % {"name": learner.display_name, "badge": badge_class.name, "day": valid_from.isoformat()}
        )
    return award


@transaction.atomic
def badge_award_revoke(*, award: BadgeAward, actor: User, reason: str) -> BadgeAward:
    """Revoke with a reason; the status list shows it at once. Idempotent: a revoked award stays as it was."""
    if not user_can(actor, "issue_certificates", award.issuer):
        raise PermissionDenied(_("Only the issuing organisation may revoke this badge."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please give a reason for revoking this badge.")})
    locked = BadgeAward.objects.select_for_update().get(pk=award.pk)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.revocation_reason = reason[:255]
    locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    return locked


def _send_reminder(award: BadgeAward, days_before: int) -> bool:
    learner = award.learner
    if not learner.email:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "award": award,
            "badge": award.badge_class,
            "learner": learner,
            "days_before": days_before,
            "award_url": absolute("badge_award", uid=award.uid),
        }
        subject = _("Your badge “%(badge)s” expires on %(day)s") % {
            "badge": award.badge_class.name,
            "day": award.valid_until.isoformat() if award.valid_until else "",
        }
        body = render_to_string("badges/reminder_email.txt", context)
    send_mail(subject, body, None, [learner.email])
    return True


def badge_expiry_reminders_send(*, today: datetime.date | None = None) -> int:
    """Email holders whose badge expires within 60 or 14 days. Idempotent: a reminder row per award and threshold
    is claimed before the email goes out, so a threshold is never mailed twice. A renewed badge gets none."""
    today = today or timezone.localdate()
    sent = 0
    horizon = today + datetime.timedelta(days=max(REMINDER_DAYS))
    due = (
        BadgeAward.objects.filter(revoked_at__isnull=True, valid_until__gte=today, valid_until__lte=horizon)
        .select_related("badge_class", "learner")
        .order_by("pk")
    )
    for award in due:
        renewed = BadgeAward.objects.filter(
            badge_class_id=award.badge_class_id,
            learner_id=award.learner_id,
            revoked_at__isnull=True,
            valid_from__gt=award.valid_from,
        ).exists()
        if renewed:
            continue
        if award.valid_until is None:
            continue
        days_left = (award.valid_until - today).days
        thresholds = [days for days in REMINDER_DAYS if days_left <= days]
        if not thresholds:
            continue
        nearest = min(thresholds)
        # Claim the nearest threshold and every larger one, so a late start never mails a 60-day note after 14.
        with transaction.atomic():
            claimed = False
            for days in thresholds:
                _reminder, created = BadgeExpiryReminder.objects.get_or_create(
                    award=award, days_before=days, defaults={"delivered": False}
                )
                if days == nearest:
                    claimed = created
        if not claimed:
            continue
        try:
            delivered = _send_reminder(award, nearest)
        except Exception:
            logger.exception("badge reminder for award %s failed", award.pk)
            delivered = False
        BadgeExpiryReminder.objects.filter(award=award, days_before=nearest).update(delivered=delivered)
        sent += delivered
    return sent
