"""Authoring in the Wagtail admin: banks, questions, quizzes and rubrics of the user's own organisations, a learner's
preview of a quiz, and the XLSX import template."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from accounts.models import User
from accounts.permissions import organizations_for_user, user_can, user_moderates
from assessments import selectors
from assessments.admin_forms import QuestionBankForm, QuestionForm, QuizForm, RubricForm
from assessments.importing.xlsx import template_workbook
from assessments.models import Question, QuestionBank, Quiz, Rubric

ACTION = "manage_question_banks"
# Quizzes and rubrics decide courses: only moderators make a change live, as for the course pages (ADR 0020).
MODERATOR_ACTIONS = frozenset({"publish", "unpublish"})


class OrganizationOwnedPolicy(BasePermissionPolicy):
    """Every admin action on these models means `manage_question_banks` on the owning organisation; publishing,
    unpublishing and deleting what a course counts are the moderators' alone."""

    def __init__(self, model, organization_path: str):
        super().__init__(model)
        self.organization_path = organization_path

    def user_has_permission(self, user, action):
        if not user.is_active:
            return False
        if action in MODERATOR_ACTIONS:
            return user_moderates(user)
        return user.is_superuser or organizations_for_user(user, ACTION).exists()

    def users_with_any_permission(self, actions):
        return User.objects.filter(is_active=True, is_superuser=True)

    def user_has_permission_for_instance(self, user, action, instance):
        moderators_only = action in MODERATOR_ACTIONS or (action == "delete" and _counted_by_a_course(instance))
        if moderators_only and not user_moderates(user):
            return False
        return user_can(user, ACTION, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if user.is_active and user.is_superuser:
            return self.model._default_manager.all()
        organizations = organizations_for_user(user, ACTION)
        return self.model._default_manager.filter(**{f"{self.organization_path}__in": organizations})


def _counted_by_a_course(instance) -> bool:
    """A published quiz or rubric linked to a course is one of its completion rules: deleting it changes them."""
    return bool(getattr(instance, "live", False) and getattr(instance, "course_id", None))


for _model, _path in (
    (QuestionBank, "organization"),
    (Question, "bank__organization"),
    (Quiz, "bank__organization"),
    (Rubric, "organization"),
):
    register_permission_policy(_model, OrganizationOwnedPolicy(_model, _path))


class _InstanceCheck:
    """Wagtail's generic views check model-level permissions; an object of another organisation is a 404."""

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        if not user_can(self.request.user, ACTION, instance):
            raise Http404
        return instance


def _scoped(view_class):
    return type(f"Scoped{view_class.__name__}", (_InstanceCheck, view_class), {})


class _DeleteCheck(_InstanceCheck):
    """Wagtail's delete view checks only the model-level permission; the policy decides per object (bulk deletes
    ask it too), so a quiz or rubric a course counts is deleted by moderators only."""

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        if not self.permission_policy.user_has_permission_for_instance(self.request.user, "delete", instance):
            raise PermissionDenied
        return instance


class _ScopedViewSet(SnippetViewSet):
    edit_view_class = _scoped(snippet_views.EditView)
    delete_view_class = type("ScopedDeleteView", (_DeleteCheck, snippet_views.DeleteView), {})
    copy_view_class = _scoped(snippet_views.CopyView)
    usage_view_class = _scoped(snippet_views.UsageView)
    history_view_class = _scoped(snippet_views.HistoryView)
    inspect_view_class = _scoped(snippet_views.InspectView)
    # Revisions and moderation of quizzes and rubrics: the same 404 for another organisation's object.
    revisions_view_class = _scoped(snippet_views.PreviewRevisionView)
    revisions_compare_view_class = _scoped(snippet_views.RevisionsCompareView)
    revisions_unschedule_view_class = _scoped(snippet_views.RevisionsUnscheduleView)
    unpublish_view_class = _scoped(snippet_views.UnpublishView)
    preview_on_edit_view_class = _scoped(snippet_views.PreviewOnEditView)
    workflow_action_view_class = _scoped(snippet_views.WorkflowActionView)
    collect_workflow_action_data_view_class = _scoped(snippet_views.CollectWorkflowActionDataView)
    confirm_workflow_cancellation_view_class = _scoped(snippet_views.ConfirmWorkflowCancellationView)
    workflow_preview_view_class = _scoped(snippet_views.WorkflowPreviewView)
    workflow_history_view_class = _scoped(snippet_views.WorkflowHistoryView)
    workflow_history_detail_view_class = _scoped(snippet_views.WorkflowHistoryDetailView)

    def get_queryset(self, request):
        return self.permission_policy.instances_user_has_any_permission_for(request.user, ["change"])


class QuestionBankViewSet(_ScopedViewSet):
    model = QuestionBank
    icon = "folder-open-inverse"
    menu_label = _("Question banks")
    list_display = ["title", "key", "organization"]
    search_fields = ["title", "title_en", "key"]
    edit_handler = ObjectList(
        [FieldPanel("title"), FieldPanel("title_en"), FieldPanel("key"), FieldPanel("organization")],
        base_form_class=QuestionBankForm,
    )


class QuestionViewSet(_ScopedViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    list_display = ["__str__", "type", "bank", "difficulty"]
    list_filter = ["type", "difficulty", "bank"]
    search_fields = ["text", "name", "key"]
    edit_handler = ObjectList(
        [
            FieldPanel("bank"),
            FieldRowPanel([FieldPanel("type"), FieldPanel("difficulty")]),
            FieldPanel("text"),
            InlinePanel(
                "options",
                label=_("Options / accepted answers / steps"),
                help_text=_(
                    "Single and multiple choice: the options, with the right ones ticked. "
                    "True/false: two rows, “正确” and “错误”, one ticked. "
                    "Fill in the blank: one row per accepted answer. "
                    "Ordering: the steps in their correct order (learners see them shuffled)."
                ),
            ),
            FieldPanel("explanation"),
            MultiFieldPanel(
                [FieldPanel("name"), FieldPanel("key"), FieldPanel("category"), FieldPanel("tags")],
                heading=_("Identification"),
            ),
        ],
        base_form_class=QuestionForm,
    )


class PreviewColumn(Column):
    def get_value(self, instance):
        url = reverse("assessments_admin:quiz_preview", args=[instance.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("Preview as a learner"))


class QuizViewSet(_ScopedViewSet):
    model = Quiz
    icon = "tasks"
    menu_label = _("Quizzes")
    list_display = ["title", "bank", "course", "pass_mark", PreviewColumn("preview", label=_("Preview"))]
    search_fields = ["title", "key"]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("title_en"),
            FieldPanel("key"),
            FieldPanel("bank"),
            FieldPanel("course"),
            FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("question_count")]),
            FieldPanel("draw_tags"),
            FieldRowPanel(
                [FieldPanel("time_limit_minutes"), FieldPanel("max_attempts"), FieldPanel("cooldown_minutes")]
            ),
            FieldPanel("shuffle_options"),
            FieldPanel("review_policy"),
            FieldRowPanel([FieldPanel("is_practice"), FieldPanel("closes_at")]),
            FieldPanel("standalone_open"),
        ],
        base_form_class=QuizForm,
    )


class RubricViewSet(_ScopedViewSet):
    model = Rubric
    icon = "list-ul"
    menu_label = _("Practical rubrics")
    list_display = ["title", "organization", "course", "pass_rule"]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("title_en"),
            FieldPanel("key"),
            FieldPanel("organization"),
            FieldPanel("course"),
            FieldPanel("pass_rule"),
            InlinePanel("items", label=_("Checklist items")),
        ],
        base_form_class=RubricForm,
    )


class AssessmentsViewSetGroup(SnippetViewSetGroup):
    items = (QuestionBankViewSet, QuestionViewSet, QuizViewSet, RubricViewSet)
    menu_icon = "tasks"
    menu_label = _("Assessments")
    menu_name = "assessments"


register_snippet(AssessmentsViewSetGroup)


def quiz_preview(request, quiz_id: int) -> HttpResponse:
    """The quiz's question pool as a learner sees it, without answer data and without recording anything."""
    quiz = get_object_or_404(Quiz.objects.select_related("bank__organization"), pk=quiz_id)
    if not user_can(request.user, ACTION, quiz):
        raise Http404
    return render(
        request, "assessments/quiz_preview.html", {"quiz": quiz, "questions": selectors.quiz_preview_views(quiz)}
    )


def xlsx_template(request) -> HttpResponse:
    if not (request.user.is_superuser or organizations_for_user(request.user, ACTION).exists()):
        raise Http404
    response = HttpResponse(
        template_workbook(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="question-import-template.xlsx"'
    return response


@hooks.register("register_admin_urls")
def register_admin_urls():
    urls = [
        path("quizzes/<int:quiz_id>/preview/", quiz_preview, name="quiz_preview"),
        path("question-template.xlsx", xlsx_template, name="xlsx_template"),
    ]
    return [path("assessments/", (urls, "assessments_admin", "assessments_admin"))]
