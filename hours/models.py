"""The hours ledger: one model for all hours (learning from courses, practice activities, and room for more)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization


class HoursKind(models.TextChoices):
    LEARNING = "learning", _("Learning hours (completed course)")
    PRACTICE = "practice", _("Practice hours (volunteer service)")
    TRAINING = "training", _("Other training (recognised elsewhere)")


class HoursStatus(models.TextChoices):
    PENDING = "pending", _("Pending verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class HoursEntry(models.Model):
    """One credit of minutes to one person. `source_key` names what earned it and is unique: nothing counts twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hours_entries")
    kind = models.CharField(_("kind"), max_length=16, choices=HoursKind.choices)
    minutes = models.PositiveIntegerField(_("minutes"))
    occurred_on = models.DateField(_("date"))
    school_year = models.CharField(_("school year"), max_length=9, db_index=True)
    # The school/college whose requirement these hours may count toward (None for unaffiliated volunteers).
    credited_organization = models.ForeignKey(
        Organization,
        verbose_name=_("credited organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credited_hours",
    )
    # Whoever recorded the service certifies it (谁记录谁证明): only this organisation may verify the entry.
    recorded_by_organization = models.ForeignKey(
        Organization,
        verbose_name=_("recording organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recorded_hours",
    )
    source_key = models.CharField(_("source"), max_length=160, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=HoursStatus.choices, default=HoursStatus.PENDING)
    description = models.CharField(_("description"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "courses_hoursentry"
        verbose_name = _("hours entry")
        verbose_name_plural = _("hours entries")
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0), name="hours_entry_minutes_positive"),
            models.CheckConstraint(
                condition=Q(school_year__regex=r"^\d{4}-\d{4}$"), name="hours_entry_school_year_format"
            ),
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(verified_at__isnull=False),
                name="hours_entry_verified_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "school_year", "status"]),
            models.Index(fields=["credited_organization", "school_year", "status"]),
            models.Index(fields=["recorded_by_organization", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()} · {self.minutes} min · {self.school_year}"

    @property
    def permission_owner_id(self) -> int:
        return self.user_id

    @property
    def permission_organization(self) -> Organization | None:
        return self.recorded_by_organization or self.credited_organization


class HoursEntryEvent(models.Model):
    """The audit trail of an hours entry: every creation and status change, who and when."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        CHANGED = "changed", _("Changed")

    entry = models.ForeignKey(HoursEntry, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "courses_hoursentryevent"
        ordering = ["at", "pk"]
        verbose_name = _("hours entry event")

    def __str__(self) -> str:
        return f"{self.entry_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
