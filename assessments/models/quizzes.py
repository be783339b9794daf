"""A quiz draws questions from one bank and is linked to a CoursePage."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from assessments.models.banks import QuestionBank


class ReviewPolicy(models.TextChoices):
    AFTER_SUBMIT = "after_submit", _("After each submitted attempt")
    AFTER_PASS = "after_pass", _("After a passed attempt")
    AFTER_LAST_ATTEMPT = "after_last_attempt", _("When no attempts are left")
    NEVER = "never", _("Never")


class Quiz(models.Model):
    bank = models.ForeignKey(
        QuestionBank, verbose_name=_("question bank"), on_delete=models.PROTECT, related_name="quizzes"
    )
    key = models.SlugField(_("key"), max_length=64, unique=True)
    course = models.ForeignKey(
        "content.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quizzes",
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=60)
    question_count = models.PositiveSmallIntegerField(
        _("questions per attempt"), default=10, help_text=_("Drawn at random from the bank for each attempt.")
    )
    draw_tags = models.CharField(
        _("draw only questions tagged"),
        max_length=255,
        blank=True,
        help_text=_("Comma-separated tags; empty draws from the whole bank."),
    )
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), default=0, help_text=_("0 means no limit.")
    )
    max_attempts = models.PositiveSmallIntegerField(_("maximum attempts"), default=0, help_text=_("0 means unlimited."))
    cooldown_minutes = models.PositiveSmallIntegerField(_("cooldown between attempts (minutes)"), default=0)
    review_policy = models.CharField(
        _("show answers and feedback"), max_length=24, choices=ReviewPolicy.choices, default=ReviewPolicy.AFTER_SUBMIT
    )
    standalone_open = models.BooleanField(
        _("open outside courses"),
        default=False,
        help_text=_("Any signed-in user may take this quiz from its own page (a practice quiz)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="quiz_pass_mark_at_most_100"),
            models.CheckConstraint(condition=Q(question_count__gte=1), name="quiz_draws_at_least_one_question"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def permission_organization(self) -> Organization:
        return self.bank.organization

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.draw_tags.split(",") if tag.strip()]
