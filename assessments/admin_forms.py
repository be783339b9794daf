"""Admin forms: every foreign key limited to what the user may touch (accounts.scoped_forms); questions validated like
imports."""

from __future__ import annotations

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from accounts.scoped_forms import OwnedBy, PagesOf, ScopedFieldsMixin
from assessments.selectors import quiz_setting_problems
from assessments.validation import option_is_correct, options_with_correctness, question_problems

ACTION = "manage_question_banks"
# Linking a quiz or rubric to a course changes the course's completion rules: a course the user may edit.
COURSE_SCOPE = PagesOf("edit_content")


class QuestionBankForm(ScopedFieldsMixin, WagtailAdminModelForm):
    scoped_fields = {"organization": OwnedBy(ACTION, path="pk")}


class QuizForm(ScopedFieldsMixin, WagtailAdminModelForm):
    scoped_fields = {"bank": OwnedBy(ACTION), "course": COURSE_SCOPE}

    def _post_clean(self):
        """The quiz rules (bank large enough for the draw, review policy) once the instance is built; the database
        constraints among them are checked by full_clean first, with the same messages."""
        super()._post_clean()
        if self.errors:
            return
        for problem in quiz_setting_problems(self.instance):
            self.add_error(None, forms.ValidationError(problem))


class RubricForm(ScopedFieldsMixin, WagtailAdminModelForm):
    scoped_fields = {"organization": OwnedBy(ACTION, path="pk"), "course": COURSE_SCOPE}


class QuestionForm(ScopedFieldsMixin, WagtailAdminModelForm):
    scoped_fields = {"bank": OwnedBy(ACTION)}

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
