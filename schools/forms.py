"""Forms of the school pages: they parse input; the services in schools.services.roster/practice enforce rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.school_years import current_school_year, recent_school_years
from core.spreadsheets import MAX_UPLOAD_BYTES
from schools.models import StudentProfile


def _school_year_choices() -> list[tuple[str, str]]:
    return [(year, year) for year in recent_school_years(4)]


class UploadField(forms.FileField):
    def validate(self, value):
        super().validate(value)
        if value is not None and value.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB; please split it."))


class RosterUploadForm(forms.Form):
    file = UploadField(
        label=_("Roster file"),
        help_text=_("CSV (UTF-8 or GBK, as Excel saves it) or XLSX, with the columns of the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


class SchoolClassForm(forms.Form):
    name = forms.CharField(label=_("Class name"), max_length=64)
    grade = forms.CharField(label=_("Grade"), max_length=32, required=False)


class SchoolPolicyForm(forms.Form):
    count_learning = forms.BooleanField(label=_("Learning hours (completed courses) count"), required=False)
    count_practice = forms.BooleanField(label=_("Practice hours (verified service) count"), required=False)
    count_training = forms.BooleanField(label=_("Other recognised training counts"), required=False)


class ReportFilterForm(forms.Form):
    year = forms.ChoiceField(label=_("School year"), required=False)
    school_class = forms.ChoiceField(label=_("Class"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    q = forms.CharField(label=_("Name or student number"), required=False, max_length=64)

    def __init__(self, *args, classes=(), statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _school_year_choices()
        self.fields["school_class"].choices = [
            ("", _("All classes")),
            *[(str(school_class.pk), school_class.name) for school_class in classes],
            ("none", _("No class")),
        ]
        self.fields["status"].choices = [("", _("Any status")), *statuses]


class ParticipantChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: StudentProfile) -> str:
        class_name = obj.school_class.name if obj.school_class else ""
        return f"{obj.student_number} {obj.user.real_name} {class_name}".strip()


class ServiceActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=128)
    content = forms.CharField(label=_("Service content"), widget=forms.Textarea(attrs={"rows": 3}))
    place = forms.CharField(label=_("Place"), max_length=255)
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Start time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("End time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    duration_minutes = forms.IntegerField(
        label=_("Duration per participant (minutes)"),
        required=False,
        min_value=1,
        help_text=_("Leave empty to use the time from start to end. Travel time does not count."),
    )
    school_year = forms.ChoiceField(label=_("School year"))
    participants = ParticipantChoiceField(
        label=_("Participants from the roster"),
        queryset=StudentProfile.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    participants_file = UploadField(
        label=_("Or upload participants"),
        required=False,
        help_text=_("CSV or XLSX with a 学号 or 志愿者编号 column and an optional 时长（分钟） column."),
    )

    def __init__(self, *args, roster=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].choices = _school_year_choices()
        self.fields["school_year"].initial = current_school_year()
        if roster is not None:
            self.fields["participants"].queryset = roster
        else:
            del self.fields["participants"]


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)


class ActivationForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    activation_code = forms.CharField(label=_("Activation code"), max_length=16)
    password1 = forms.CharField(label=_("New password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("New password again"), widget=forms.PasswordInput, strip=False)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data
