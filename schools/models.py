"""Schools and colleges: classes, student records, the hours policy, roster imports and practice activities."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from hours.models import HoursEntry, HoursKind


class SchoolClass(models.Model):
    """A class (班级) of one school or college; the roster import refers to it by name."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="school_classes")
    name = models.CharField(_("class"), max_length=64)
    grade = models.CharField(_("grade"), max_length=32, blank=True)

    class Meta:
        db_table = "courses_schoolclass"
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["grade", "name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="school_class_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def permission_organization(self) -> Organization:
        return self.organization


class SchoolPolicy(models.Model):
    """Which kinds of hours count toward an organisation's yearly requirement (default: learning and practice)."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="school_policy")
    count_learning = models.BooleanField(_("learning hours count"), default=True)
    count_practice = models.BooleanField(_("practice hours count"), default=True)
    count_training = models.BooleanField(_("other training counts"), default=False)

    class Meta:
        db_table = "courses_schoolpolicy"
        verbose_name = _("school hours policy")
        verbose_name_plural = _("school hours policies")

    def __str__(self) -> str:
        return f"{self.organization}: {', '.join(self.counted_kinds)}"

    @property
    def counted_kinds(self) -> list[str]:
        flags = {
            HoursKind.LEARNING: self.count_learning,
            HoursKind.PRACTICE: self.count_practice,
            HoursKind.TRAINING: self.count_training,
        }
        return [str(kind) for kind, counted in flags.items() if counted]

    @property
    def permission_organization(self) -> Organization:
        return self.organization


class RosterImport(models.Model):
    """One roster upload: previewed first, imported on confirmation; the history of who imported what."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed, awaiting confirmation")
        IMPORTED = "imported", _("Imported")
        CANCELLED = "cancelled", _("Cancelled")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="roster_imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    file_name = models.CharField(_("file name"), max_length=255)
    file_hash = models.CharField(_("SHA-256 of the file"), max_length=64, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PREVIEWED)
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"row": 3, "messages": [...]}]
    # The parsed rows wait here between preview and confirmation and are cleared afterwards (PII).
    pending_rows = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "courses_rosterimport"
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organization} · {self.file_name} · {self.get_status_display()}"

    @property
    def permission_organization(self) -> Organization:
        return self.organization


class StudentProfile(models.Model):
    """A student's record at one school or college (alongside their learner membership)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="student_profiles")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="student_profiles")
    student_number = models.CharField(_("student number"), max_length=32)
    grade = models.CharField(_("grade"), max_length=32, blank=True)
    school_class = models.ForeignKey(
        SchoolClass,
        verbose_name=_("class"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="students",
    )
    # Shown once to the coordinator to hand out; cleared when the student activates the account.
    activation_code = models.CharField(_("activation code"), max_length=16, blank=True)
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)
    guardian_consent_required = models.BooleanField(_("guardian consent required"), default=False)
    roster_import = models.ForeignKey(
        RosterImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="students"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "courses_studentprofile"
        verbose_name = _("student record")
        verbose_name_plural = _("student records")
        ordering = ["school_class__name", "student_number"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "student_number"], name="student_profile_unique_number"),
            models.UniqueConstraint(fields=["organization", "user"], name="student_profile_unique_user"),
            models.CheckConstraint(condition=~Q(student_number=""), name="student_profile_number_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.student_number} {self.user}"

    @property
    def permission_organization(self) -> Organization:
        return self.organization

    @property
    def permission_owner_id(self) -> int:
        return self.user_id


class ServiceActivity(models.Model):
    """A volunteer-service activity; each participant's minutes become a pending practice HoursEntry."""

    organizer = models.ForeignKey(
        Organization, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="service_activities"
    )
    title = models.CharField(_("title"), max_length=128)
    content = models.TextField(_("service content"))
    place = models.CharField(_("place"), max_length=255)
    occurred_on = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    school_year = models.CharField(_("school year"), max_length=9, db_index=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "courses_serviceactivity"
        verbose_name = _("service activity")
        verbose_name_plural = _("service activities")
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__isnull=True, end_time__isnull=True)
                | Q(start_time__isnull=False, end_time__isnull=False, end_time__gt=models.F("start_time")),
                name="service_activity_times_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.title}"

    @property
    def permission_organization(self) -> Organization:
        return self.organizer


class ServiceParticipation(models.Model):
    """One person's part in an activity; `hours_entry` is the ledger credit (source practice:<activity>:<user>)."""

    activity = models.ForeignKey(ServiceActivity, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="service_participations")
    minutes = models.PositiveIntegerField(_("minutes"))
    hours_entry = models.OneToOneField(
        HoursEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="service_participation"
    )

    class Meta:
        db_table = "courses_serviceparticipation"
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["activity", "user"], name="service_participation_unique_user"),
            models.CheckConstraint(
                condition=Q(minutes__gt=0) & Q(minutes__lte=24 * 60), name="service_participation_minutes_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} · {self.user} · {self.minutes} min"

    @property
    def permission_organization(self) -> Organization:
        return self.activity.organizer


class ComplianceReminder(models.Model):
    """One reminder run per organisation, school year and day; makes the beat task safe to run twice."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    school_year = models.CharField(max_length=9)
    sent_on = models.DateField()
    student_count = models.PositiveIntegerField(default=0)
    recipient_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "courses_compliancereminder"
        verbose_name = _("compliance reminder")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "school_year", "sent_on"], name="compliance_reminder_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.school_year} {self.sent_on}"
