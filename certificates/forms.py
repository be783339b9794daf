"""Forms: validate input only; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from accounts.scoped_forms import OwnedBy, PagesOf, ScopedFieldsMixin, WagtailPermission
from certificates.models import CertificateKind, CertificateStatus
from core.school_years import current_school_year, is_school_year_name

ISSUE = "issue_certificates"
# Signatures and the seal authenticate the issuer: the user's own uploads, or images of a collection they manage.
OWN_IMAGES = WagtailPermission(("change",))


class CertificateDefinitionForm(ScopedFieldsMixin, WagtailAdminModelForm):
    """The admin form of certificate definitions. A course or curriculum of another organisation would take its one
    active definition (certdef_one_active_per_course) and certify its completers in someone else's name."""

    scoped_fields = {
        "issuer": OwnedBy(ISSUE, path="pk"),
        "course": PagesOf(ISSUE),
        "curriculum": PagesOf(ISSUE),
        "person_in_charge_signature": OWN_IMAGES,
        "handler_signature": OWN_IMAGES,
        "seal_image": OWN_IMAGES,
    }


class CertificateFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *CertificateStatus.choices])
    definition = forms.TypedChoiceField(label=_("Certificate"), required=False, coerce=int, empty_value=None)
    q = forms.CharField(label=_("Name, number or volunteer number"), required=False, max_length=64)
    issued_from = forms.DateField(
        label=_("Issued from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    issued_to = forms.DateField(label=_("Issued to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, definitions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["definition"].choices = [("", _("All"))] + [
            (definition.pk, f"{definition.title} · {definition.issuer.name}") for definition in definitions
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255, widget=forms.TextInput())


class BulkIssueForm(forms.Form):
    definition = forms.TypedChoiceField(label=_("Certificate"), coerce=int)
    school_class = forms.TypedChoiceField(label=_("Class"), required=False, coerce=int, empty_value=None)
    all_students = forms.BooleanField(label=_("All students and learners of the issuing organisation"), required=False)
    all_completers = forms.BooleanField(
        label=_("Everyone who completed the course (course certificates)"), required=False
    )
    identifiers = forms.CharField(
        label=_("Volunteer numbers or usernames"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, or separated by commas or spaces."),
    )
    school_year = forms.CharField(
        label=_("School year (school-year certificates)"), required=False, max_length=9, initial=current_school_year
    )
    period_start = forms.DateField(
        label=_("Service from (service records, optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    period_end = forms.DateField(
        label=_("Service until (service records; empty for today)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, definitions=(), school_classes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.definitions = {definition.pk: definition for definition in definitions}
        self.fields["definition"].choices = [
            (definition.pk, f"{definition.title} · {definition.issuer.name} ({definition.get_kind_display()})")
            for definition in definitions
        ]
        self.school_classes = {school_class.pk: school_class for school_class in school_classes}
        self.fields["school_class"].choices = [("", "—")] + [
            (school_class.pk, f"{school_class.organization.name} {school_class.name}")
            for school_class in school_classes
        ]

    def clean_identifiers(self) -> list[str]:
        raw = self.cleaned_data.get("identifiers") or ""
        return [part for part in raw.replace(",", " ").replace("，", " ").split() if part]

    def clean(self):
        data = super().clean()
        definition = self.definitions.get(data.get("definition"))
        if definition is None:
            return data
        data["definition_object"] = definition
        school_class = self.school_classes.get(data.get("school_class")) if data.get("school_class") else None
        if school_class is not None and school_class.organization_id != definition.issuer_id:
            self.add_error(
                "school_class", _("This class belongs to another organisation than the certificate's issuer.")
            )
        data["school_class_object"] = school_class
        if not (school_class or data.get("all_students") or data.get("all_completers") or data.get("identifiers")):
            self.add_error("identifiers", _("Choose at least one learner or a class."))
        if data.get("all_completers") and definition.kind != CertificateKind.COURSE:
            self.add_error(
                "all_completers", _("Only course certificates are issued to everyone who completed a course.")
            )
        if definition.kind == CertificateKind.SCHOOL_YEAR and not is_school_year_name(data.get("school_year") or ""):
            self.add_error("school_year", _("Give the school year as e.g. 2026-2027."))
        if definition.kind == CertificateKind.SERVICE_RECORD:
            start, end = data.get("period_start"), data.get("period_end")
            if start and end and start > end:
                self.add_error("period_start", _("The period starts after it ends."))
        return data
