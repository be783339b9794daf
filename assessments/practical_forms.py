"""The assessor's form for one practical sitting: the learner by volunteer number and a result for every item."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from assessments.models import Rubric

RESULT_CHOICES = [("1", _("Passed")), ("0", _("Not passed"))]


class PracticalRecordForm(forms.Form):
    volunteer_number = forms.CharField(label=_("Learner's volunteer number"), max_length=20)
    assessed_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=200)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, rubric: Rubric, **kwargs):
        kwargs.setdefault("initial", {"assessed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.items = list(rubric.items.all())
        for item in self.items:
            label = item.text if item.required else f"{item.text} ({_('optional')})"
            self.fields[f"item_{item.key}"] = forms.ChoiceField(
                label=label,
                choices=RESULT_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": _("Give a result for this item.")},
            )

    def clean_volunteer_number(self) -> User:
        number = self.cleaned_data["volunteer_number"].strip().upper()
        learner = User.objects.filter(volunteer_number=number, is_active=True).first()
        if learner is None:
            raise forms.ValidationError(_("No volunteer has the number %(number)s.") % {"number": number})
        return learner

    def results(self) -> dict[str, bool]:
        return {item.key: self.cleaned_data[f"item_{item.key}"] == "1" for item in self.items}
