"""A quiz draws questions from one bank and is linked to a CoursePage.

Quizzes and rubrics decide whether a course is complete (its linked quizzes and rubrics, the pass mark, the pass rule
and which checklist items are required), so they are moderated like the course's pages: an editor's change is a
draft revision, and the row, which is what learners and progress read, changes only when a moderator publishes it
(ADR 0020)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import DraftStateMixin, RevisionMixin, WorkflowMixin

from accounts.models import Organization
from assessments.models.banks import QuestionBank


def site_moderation_workflow():
    """The moderation workflow the training bases' pages are under (content.services sets it up), if active."""
    from django.conf import settings
    from wagtail.models import Workflow

    from content.services import MODERATION_WORKFLOW_NAME

    if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
        return None
    return Workflow.objects.filter(name=MODERATION_WORKFLOW_NAME, active=True).first()


def moderation_workflow(*, course, organization: Organization):
    """The workflow of the course's page, else of the organisation's training base page, else the site's: the one
    that moderates the course these rules decide."""
    from wagtail.models import Page

    page = course
    if page is None and organization.root_page_id is not None:
        page = Page.objects.filter(pk=organization.root_page_id).first()
    workflow = page.get_workflow() if page is not None else None
    return workflow or site_moderation_workflow()


class ReviewPolicy(models.TextChoices):
    """What a learner sees of a submitted attempt (the rule: assessments.selectors.attempt_review_level, ADR 0019).

    No policy shows the answer key while a graded quiz can still draw the questions: throwaway accounts would
    harvest it."""

    CORRECTNESS = "correctness", _("Right or wrong per question, never the answers")
    AFTER_CLOSE = "after_close", _("Right or wrong; the answers once the quiz has closed")
    NEVER = "never", _("The score only")
    IMMEDIATELY = "immediately", _("The answers right after each attempt (practice quizzes only)")


class Quiz(WorkflowMixin, DraftStateMixin, RevisionMixin, models.Model):
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
        _("show answers and feedback"), max_length=24, choices=ReviewPolicy.choices, default=ReviewPolicy.CORRECTNESS
    )
    is_practice = models.BooleanField(
        _("practice quiz"),
        default=False,
        help_text=_(
            "Credits nothing and belongs to no course. Only a practice quiz may show the answers right after each "
            "attempt, and only while no graded quiz draws on its bank."
        ),
    )
    closes_at = models.DateTimeField(
        _("closes at"),
        null=True,
        blank=True,
        help_text=_("No attempt starts after this time, and open attempts end at it. Empty: the quiz stays open."),
    )
    standalone_open = models.BooleanField(
        _("open outside courses"),
        default=False,
        help_text=_("Any signed-in user may take this quiz from its own page."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="quiz_pass_mark_at_most_100"),
            models.CheckConstraint(condition=Q(question_count__gte=1), name="quiz_draws_at_least_one_question"),
            # The messages are assessments.validation.quiz_problems' (which the form and quiz_ensure check first).
            models.CheckConstraint(
                condition=Q(is_practice=False) | Q(course__isnull=True),
                name="quiz_practice_has_no_course",
                violation_error_message=_("A practice quiz credits nothing: it cannot belong to a course."),
            ),
            models.CheckConstraint(
                condition=~Q(review_policy="immediately") | Q(is_practice=True),
                name="quiz_immediate_review_only_for_practice",
                violation_error_message=_("Only a practice quiz may show the answers right after each attempt."),
            ),
            models.CheckConstraint(
                condition=~Q(review_policy="after_close") | Q(closes_at__isnull=False),
                name="quiz_review_after_close_needs_a_close",
                violation_error_message=_("Set when the quiz closes, or choose another review policy."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def permission_organization(self) -> Organization:
        return self.bank.organization

    def get_workflow(self):
        return moderation_workflow(course=self.course, organization=self.bank.organization)

    @classmethod
    def get_default_workflow(cls):
        return super().get_default_workflow() or site_moderation_workflow()

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.draw_tags.split(",") if tag.strip()]
