"""Admin forms: choices limited to the user's organisations; questions validated like imports."""

from __future__ import annotations

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from accounts.permissions import organizations_for_user
from assessments.models import QuestionBank
from assessments.validation import option_is_correct, options_with_correctness, question_problems

ACTION = "manage_question_banks"


class _OrganizationScopedForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        if user is None:
            return
        organizations = organizations_for_user(user, ACTION)
        if "organization" in self.fields:
            self.fields["organization"].queryset = organizations
        if "bank" in self.fields:
            self.fields["bank"].queryset = QuestionBank.objects.filter(organization__in=organizations)


class QuestionBankForm(_OrganizationScopedForm):
    pass


class QuizForm(_OrganizationScopedForm):
    pass


class RubricForm(_OrganizationScopedForm):
    pass


class QuestionForm(_OrganizationScopedForm):
    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("options")
        if formset is None or not formset.is_valid():
            return cleaned
        options = [
            (form.cleaned_data.get("text", ""), bool(form.cleaned_data.get("is_correct")))
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        question_type = cleaned.get("type", "")
        options = options_with_correctness(question_type=question_type, options=options)
        for problem in question_problems(question_type=question_type, text=cleaned.get("text", ""), options=options):
            self.add_error(None, forms.ValidationError(problem))
        return cleaned

    def save(self, commit=True):
        question = super().save(commit=False)
        for form in self.formsets["options"].forms:
            if form.cleaned_data and not form.cleaned_data.get("DELETE"):
                form.instance.is_correct = option_is_correct(
                    question_type=question.type, marked_correct=form.instance.is_correct
                )
        if commit:
            question.save()
            self.save_m2m()
            for formset in self.formsets.values():
                formset.save()
        return question
