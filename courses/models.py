"""The learner's path: enrolments, lesson progress and course completions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hours.models import HoursEntry


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", _("In progress")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Enrollment(models.Model):
    """One learner in one course. Withdrawing keeps the row (history); enrolling again starts a new one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrollments")
    course = models.ForeignKey(
        "content.CoursePage", verbose_name=_("course"), on_delete=models.PROTECT, related_name="enrollments"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EnrollmentStatus.choices, default=EnrollmentStatus.ACTIVE
    )
    enrolled_at = models.DateTimeField(_("enrolled at"))
    # Set when a coordinator enrolled the learner as part of a group.
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # Where "resume" takes the learner: the lesson they last opened.
    last_lesson = models.ForeignKey(
        "content.LessonPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_activity_at = models.DateTimeField(null=True, blank=True)
    # The reading clock of this learner in this course (courses.services.progress.lesson_heartbeat): up to where
    # reading time has been credited. One clock for all the course's lessons, so parallel tabs do not add up.
    last_heartbeat_at = models.DateTimeField(_("reading time credited up to"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-enrolled_at", "-pk"]
        constraints = [
            # One current (active or completed) enrolment per learner and course; withdrawn rows are history.
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=Q(status__in=["active", "completed"]),
                name="enrollment_one_current_per_course",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | Q(withdrawn_at__isnull=False),
                name="enrollment_withdrawn_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_at__isnull=False),
                name="enrollment_completed_has_time",
            ),
        ]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.course_id} ({self.status})"

    @property
    def permission_owner_id(self) -> int:
        return self.user_id

    @property
    def is_active(self) -> bool:
        return self.status == EnrollmentStatus.ACTIVE


class LessonProgress(models.Model):
    """A learner's progress in one lesson; kept per learner so that it survives withdrawing and enrolling again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress")
    course = models.ForeignKey("content.CoursePage", on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey("content.LessonPage", on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField(_("first opened at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # Time on the page, from heartbeats: finishing the lesson needs the minimum reading time (ADR 0019).
    credited_seconds = models.PositiveIntegerField(_("reading time (seconds)"), default=0)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="lesson_progress_unique_lesson"),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(completed_at__gte=models.F("opened_at")),
                name="lesson_progress_completed_after_opened",
            ),
        ]
        indexes = [models.Index(fields=["user", "course"])]

    def __str__(self) -> str:
        return f"{self.user_id} · lesson {self.lesson_id}"

    @property
    def permission_owner_id(self) -> int:
        return self.user_id


class CourseCompletion(models.Model):
    """A learner met a course's completion rules. Certificates rely on: user, course, completed_at, hours_entry."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="course_completions")
    course = models.ForeignKey(
        "content.CoursePage", verbose_name=_("course"), on_delete=models.PROTECT, related_name="completions"
    )
    enrollment = models.OneToOneField(
        Enrollment, null=True, blank=True, on_delete=models.SET_NULL, related_name="completion"
    )
    completed_at = models.DateTimeField(_("completed at"))
    # The best passing percent of the course's quizzes (None for a course without a quiz).
    score_percent = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    credit_minutes = models.PositiveIntegerField(_("credited minutes"), default=0)
    # None when the course credits no 学时 (the ledger holds only positive durations).
    hours_entry = models.OneToOneField(
        HoursEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="course_completion"
    )

    class Meta:
        verbose_name = _("course completion")
        verbose_name_plural = _("course completions")
        ordering = ["-completed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="course_completion_unique_per_learner"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.course_id} · {self.completed_at:%Y-%m-%d}"

    @property
    def permission_owner_id(self) -> int:
        return self.user_id
