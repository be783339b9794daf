"""Question banks and their questions. Every question type keeps its answer data in QuestionOption rows."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.models import Orderable

from accounts.models import Organization


def new_question_key() -> str:
    return "q-" + secrets.token_hex(5)


class QuestionType(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUEFALSE = "truefalse", _("True or false")
    FILL = "fill", _("Fill in the blank")
    ORDERING = "ordering", _("Ordering of steps")


class QuestionBank(models.Model):
    organization = models.ForeignKey(
        Organization, verbose_name=_("owner organisation"), on_delete=models.PROTECT, related_name="question_banks"
    )
    key = models.SlugField(
        _("key"), max_length=64, unique=True, help_text=_("A stable identifier used by imports and the demo data.")
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def permission_organization(self) -> Organization:
        return self.organization


class QuestionTag(TaggedItemBase):
    content_object = ParentalKey("assessments.Question", on_delete=models.CASCADE, related_name="tagged_items")


class Question(ClusterableModel):
    """One question. Options hold the choices (single, multiple, true/false), the accepted answers (fill) or the
    steps in their correct order (ordering)."""

    bank = models.ForeignKey(
        QuestionBank, verbose_name=_("question bank"), on_delete=models.CASCADE, related_name="questions"
    )
    key = models.CharField(
        _("key"),
        max_length=100,
        default=new_question_key,
        help_text=_("Unique in the bank; re-imports update the question with the same key."),
    )
    type = models.CharField(_("question type"), max_length=16, choices=QuestionType.choices)
    name = models.CharField(_("short name"), max_length=255, blank=True)
    text = models.TextField(_("question text"))
    explanation = models.TextField(_("explanation / feedback"), blank=True)
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), choices=[(1, _("Easy")), (2, _("Medium")), (3, _("Hard"))], default=1
    )
    category = models.CharField(_("category"), max_length=255, blank=True)
    tags = ClusterTaggableManager(through=QuestionTag, blank=True, verbose_name=_("tags"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["bank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "key"], name="question_unique_key_in_bank"),
            models.CheckConstraint(condition=Q(difficulty__gte=1, difficulty__lte=3), name="question_difficulty_1_3"),
            models.CheckConstraint(
                condition=Q(type__in=[choice.value for choice in QuestionType]), name="question_type_known"
            ),
        ]

    def __str__(self) -> str:
        label = self.name or self.text
        return label if len(label) <= 60 else label[:59] + "…"

    @property
    def permission_organization(self) -> Organization:
        return self.bank.organization


class QuestionOption(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("text"), max_length=500)
    is_correct = models.BooleanField(
        _("correct"),
        default=False,
        help_text=_(
            "Choices: tick the right ones. Fill in the blank: every row is an accepted answer. Ordering: "
            "list the steps in their correct order."
        ),
    )
    feedback = models.CharField(_("feedback"), max_length=500, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.text
