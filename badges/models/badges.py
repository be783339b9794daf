"""Skill badges: what earns one (criteria), the awards, and the expiry reminders already sent."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.constants import SkillArea
from accounts.models import Organization


class BadgeClass(models.Model):
    """An Open Badges Achievement: criteria over courses, quizzes and practical assessments, and a validity."""

    slug = models.SlugField(_("key"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=128)
    name_en = models.CharField(_("English name"), max_length=128, blank=True)
    description = models.TextField(_("description"))
    description_en = models.TextField(_("English description"), blank=True)
    criteria_narrative = models.TextField(
        _("criteria (text)"), help_text=_("What a holder has done, in words; shown in the badge and its credential.")
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A square PNG. Without one, a plain badge image is drawn."),
    )
    skill_area = models.CharField(_("skill area"), max_length=32, choices=SkillArea.choices)
    issuer = models.ForeignKey(
        Organization, verbose_name=_("issuing organisation"), on_delete=models.PROTECT, related_name="badge_classes"
    )
    courses = models.ManyToManyField(
        "content.CoursePage", verbose_name=_("courses to complete"), blank=True, related_name="badge_classes"
    )
    refresher_courses = models.ManyToManyField(
        "content.CoursePage",
        verbose_name=_("refresher courses"),
        blank=True,
        related_name="refresher_for_badge_classes",
        help_text=_("Completing one of these counts in place of the courses to complete, e.g. to renew."),
    )
    rubrics = models.ManyToManyField(
        "assessments.Rubric", verbose_name=_("practical assessments to pass"), blank=True, related_name="badge_classes"
    )
    within_months = models.PositiveSmallIntegerField(
        _("all within (months)"),
        null=True,
        blank=True,
        help_text=_("All the evidence must fall within this many months. Leave empty for no limit."),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"), null=True, blank=True, help_text=_("Leave empty for a badge that never expires.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "certificates_badgeclass"
        verbose_name = _("badge class")
        verbose_name_plural = _("badge classes")
        ordering = ["skill_area", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(validity_months__isnull=True) | Q(validity_months__gt=0),
                name="badgeclass_validity_positive",
            ),
            models.CheckConstraint(
                condition=Q(within_months__isnull=True) | Q(within_months__gt=0), name="badgeclass_within_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def permission_organization(self) -> Organization:
        return self.issuer


class BadgeQuizRequirement(models.Model):
    """A quiz the learner must pass with at least `min_percent`."""

    badge_class = models.ForeignKey(BadgeClass, on_delete=models.CASCADE, related_name="quiz_requirements")
    quiz = models.ForeignKey("assessments.Quiz", verbose_name=_("quiz"), on_delete=models.PROTECT, related_name="+")
    min_percent = models.PositiveSmallIntegerField(
        _("minimum score (%)"), default=80, validators=[MaxValueValidator(100)]
    )

    class Meta:
        db_table = "certificates_badgequizrequirement"
        verbose_name = _("quiz requirement")
        verbose_name_plural = _("quiz requirements")
        constraints = [
            models.UniqueConstraint(fields=["badge_class", "quiz"], name="badge_quiz_requirement_unique"),
            models.CheckConstraint(condition=Q(min_percent__lte=100), name="badge_quiz_requirement_percent_le_100"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz_id} ≥ {self.min_percent}%"


class BadgeAward(models.Model):
    """One award for one validity period. The signed credential is frozen at issue; status comes from the row."""

    uid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    badge_class = models.ForeignKey(
        BadgeClass, verbose_name=_("badge"), on_delete=models.PROTECT, related_name="awards"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("holder"), on_delete=models.PROTECT, related_name="badge_awards"
    )
    # Denormalised from the badge class at issue: the status list and the issuer's lists are per issuer.
    issuer = models.ForeignKey(Organization, verbose_name=_("issuer"), on_delete=models.PROTECT, related_name="+")
    # The day the criteria were met (the newest evidence); the validity period runs from it.
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("awarded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty for an automatic award."),
    )
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    evidence_note = models.TextField(_("evidence note"), blank=True)
    credential = models.JSONField(_("credential (OB 3.0)"), default=dict)  # PII: the holder's name
    credential_jwt = models.TextField(_("signed credential (VC-JWT)"), blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revocation_reason = models.CharField(_("reason for revocation"), max_length=255, blank=True)

    class Meta:
        db_table = "certificates_badgeaward"
        verbose_name = _("badge award")
        verbose_name_plural = _("badge awards")
        ordering = ["-valid_from", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["badge_class", "learner", "valid_from"], name="badge_award_one_per_validity_period"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""), name="badge_award_revoked_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=models.F("valid_from")),
                name="badge_award_valid_until_after_from",
            ),
        ]
        indexes = [
            models.Index(fields=["learner", "badge_class", "valid_until"], name="badge_award_learner_class"),
            models.Index(fields=["badge_class", "valid_until"], name="badge_award_class_until"),
        ]

    def __str__(self) -> str:
        return f"{self.badge_class} · {self.learner} · {self.valid_from}"

    @property
    def permission_owner_id(self) -> int:
        return self.learner_id

    @property
    def permission_organization(self) -> Organization:
        return self.issuer

    def status_on(self, day: datetime.date | None = None) -> str:
        day = day or timezone.localdate()
        if self.revoked_at is not None:
            return "revoked"
        if self.valid_from > day:
            return "not_yet_valid"
        if self.valid_until is not None and self.valid_until < day:
            return "expired"
        return "valid"

    @property
    def status(self) -> str:
        return self.status_on()

    @property
    def is_valid(self) -> bool:
        return self.status == "valid"

    @property
    def status_label(self) -> str:
        return str(AWARD_STATUS_LABELS[self.status])

    @property
    def days_left(self) -> int | None:
        if self.valid_until is None:
            return None
        return (self.valid_until - timezone.localdate()).days


AWARD_STATUS_LABELS = {
    "valid": _("Valid"),
    "expired": _("Expired"),
    "revoked": _("Revoked"),
    "not_yet_valid": _("Not yet valid"),
}


def valid_awards_q(day: datetime.date, prefix: str = "") -> Q:
    """Awards valid on `day`: not revoked, started, not ended. `prefix` is e.g. "badge_awards__" from User."""
    return Q(**{f"{prefix}revoked_at__isnull": True, f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": day})
    )


class BadgeExpiryReminder(models.Model):
    """One row per award and threshold (60 or 14 days): the claim that makes reminders go out once."""

    award = models.ForeignKey(BadgeAward, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)
    delivered = models.BooleanField(default=True)

    class Meta:
        db_table = "certificates_badgeexpiryreminder"
        verbose_name = _("badge expiry reminder")
        constraints = [
            models.UniqueConstraint(fields=["award", "days_before"], name="badge_reminder_once_per_threshold")
        ]

    def __str__(self) -> str:
        return f"{self.award_id} −{self.days_before}d"
