"""Practical (hands-on) assessments: a checklist rubric, recorded by an assessor for one learner."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import DraftStateMixin, Orderable, RevisionMixin, WorkflowMixin

from accounts.models import Organization
from assessments.models.quizzes import moderation_workflow, site_moderation_workflow


class PassRule(models.TextChoices):
    ALL_REQUIRED = "all_required", _("All required items passed")
    ALL = "all", _("All items passed")


class Rubric(WorkflowMixin, DraftStateMixin, RevisionMixin, ClusterableModel):
    """A checklist; moderated like quizzes, since its pass rule and required items decide courses (ADR 0020)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("owner organisation"), on_delete=models.PROTECT, related_name="rubrics"
    )
    key = models.SlugField(_("key"), max_length=64, unique=True)
    course = models.ForeignKey(
        "content.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rubrics",
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    pass_rule = models.CharField(_("pass rule"), max_length=16, choices=PassRule.choices, default=PassRule.ALL_REQUIRED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("practical rubric")
        verbose_name_plural = _("practical rubrics")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def permission_organization(self) -> Organization:
        return self.organization

    def get_workflow(self):
        return moderation_workflow(course=self.course, organization=self.organization)

    @classmethod
    def get_default_workflow(cls):
        return super().get_default_workflow() or site_moderation_workflow()


class RubricItem(Orderable):
    rubric = ParentalKey(Rubric, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(_("key"), max_length=64)
    text = models.CharField(_("text"), max_length=300)
    text_en = models.CharField(_("English text"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta(Orderable.Meta):
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [models.UniqueConstraint(fields=["rubric", "key"], name="rubric_item_unique_key")]

    def __str__(self) -> str:
        return self.text


class PracticalAssessment(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="assessments")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="practical_assessments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="practical_assessments_recorded"
    )
    assessed_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    passed = models.BooleanField(_("passed"))
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("practical assessment")
        verbose_name_plural = _("practical assessments")
        ordering = ["-assessed_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.rubric} · {self.learner} · {self.assessed_on}"

    @property
    def permission_owner_id(self) -> int:
        return self.learner_id

    @property
    def permission_organization(self) -> Organization:
        return self.rubric.organization


class PracticalItemResult(models.Model):
    assessment = models.ForeignKey(PracticalAssessment, on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey(RubricItem, on_delete=models.PROTECT, related_name="+")
    passed = models.BooleanField(_("passed"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="practical_result_unique_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.passed}"
