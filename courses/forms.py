"""Forms of the learner's path (group enrolment)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from content.models import CoursePage


class GroupEnrollmentForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=CoursePage.objects.none())
    students = forms.ModelMultipleChoiceField(
        label=_("Students"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, courses, students, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        self.fields["students"].queryset = students
        self.fields["students"].label_from_instance = lambda user: f"{user.display_name} ({user.volunteer_number})"
