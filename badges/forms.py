"""Forms for badges and teams: parse and validate input; the services enforce the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from accounts.models import User
from accounts.scoped_forms import AnyOf, Matching, OwnedBy, PagesOf, ScopedFieldsMixin, WagtailPermission

ISSUE = "issue_certificates"
# A badge's criteria name published courses (the public catalogue) or courses of the organisations it issues for.
BADGE_COURSES = PagesOf(ISSUE, or_live=True)


class BadgeClassForm(ScopedFieldsMixin, WagtailAdminModelForm):
    """The admin form of badge classes: issuer, courses, rubrics and image limited to what the user may use."""

    scoped_fields = {
        "issuer": OwnedBy(ISSUE, path="pk"),
        "courses": BADGE_COURSES,
        "refresher_courses": BADGE_COURSES,
        "rubrics": OwnedBy(ISSUE),
        "image": WagtailPermission(("choose",)),
    }


class TeamRequiredBadgeForm(ScopedFieldsMixin, WagtailAdminModelForm):
    """A team's required badge: a team the user leads; an active badge (public) or one of the user's issuers'."""

    scoped_fields = {
        "team": OwnedBy("lead_team", path="pk"),
        "badge_class": AnyOf((Matching({"is_active": True}), OwnedBy(ISSUE, path="issuer"))),
    }


class ManualAwardForm(forms.Form):
    badge_class = forms.TypedChoiceField(label=_("Badge"), coerce=int)
    volunteer_number = forms.CharField(label=_("Volunteer number"), max_length=20)
    valid_from = forms.DateField(
        label=_("Valid from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day the evidence shows the skill; empty for today."),
    )
    evidence_note = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, badge_classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.badge_classes = {badge.pk: badge for badge in badge_classes}
        self.fields["badge_class"].choices = [
            (badge.pk, f"{badge.name} · {badge.issuer.name}") for badge in badge_classes
        ]

    def clean_volunteer_number(self) -> User:
        number = self.cleaned_data["volunteer_number"].strip().upper()
        learner = User.objects.filter(volunteer_number=number, is_active=True).first()
        if learner is None:
            raise forms.ValidationError(_("No volunteer has the number %(number)s.") % {"number": number})
        return learner

    def clean_badge_class(self):
        badge = self.badge_classes.get(self.cleaned_data["badge_class"])
        if badge is None:
            raise forms.ValidationError(_("Choose one of your organisation's badges."))
        return badge


class RevokeBadgeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)


class TeamApplicationForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the team leader"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class VolunteerSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or volunteer number"), required=False, max_length=64)
