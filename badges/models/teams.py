"""Specialised teams: the badges a team requires, and volunteers' applications to join."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.constants import OrganizationKind
from accounts.models import Organization
from badges.models.badges import BadgeClass


class TeamRequiredBadge(models.Model):
    team = models.ForeignKey(
        Organization,
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        related_name="required_badges",
        limit_choices_to={"kind": OrganizationKind.TEAM},
    )
    badge_class = models.ForeignKey(
        BadgeClass, verbose_name=_("badge"), on_delete=models.PROTECT, related_name="team_requirements"
    )

    class Meta:
        db_table = "certificates_teamrequiredbadge"
        verbose_name = _("required badge")
        verbose_name_plural = _("required badges")
        constraints = [models.UniqueConstraint(fields=["team", "badge_class"], name="team_required_badge_unique")]

    def __str__(self) -> str:
        return f"{self.team} ← {self.badge_class}"

    @property
    def permission_organization(self) -> Organization:
        return self.team


class TeamApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the team leader")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class TeamApplication(models.Model):
    team = models.ForeignKey(
        Organization, verbose_name=_("team"), on_delete=models.CASCADE, related_name="team_applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="team_applications",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=TeamApplicationStatus.choices, default=TeamApplicationStatus.PENDING
    )
    message = models.TextField(_("message to the team leader"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.CharField(_("note on the decision"), max_length=255, blank=True)

    class Meta:
        db_table = "certificates_teamapplication"
        verbose_name = _("team application")
        verbose_name_plural = _("team applications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "applicant"], condition=Q(status="pending"), name="team_application_one_pending"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "withdrawn"]) | Q(decided_at__isnull=False),
                name="team_application_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.team} ({self.status})"

    @property
    def permission_owner_id(self) -> int:
        return self.applicant_id

    @property
    def permission_organization(self) -> Organization:
        return self.team
