"""Forms parse input; the rules are enforced by accounts.services."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from accounts.services import wait_message
from core.ratelimit import RateLimited


class PersonalDataForm(forms.Form):
    real_name = forms.CharField(label=_("Real name"), max_length=64, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Mobile phone (optional)"), max_length=11, required=False)
    resident_id = forms.CharField(
        label=_("Resident ID number (optional)"),
        max_length=18,
        required=False,
        help_text=_("Stored only if you enter it, and always shown masked."),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    guardian_consent = forms.BooleanField(
        label=_("My guardian consents to my volunteering (required under 18)"), required=False
    )
    guardian_name = forms.CharField(label=_("Guardian's name"), max_length=64, required=False)
    guardian_phone = forms.CharField(label=_("Guardian's mobile phone"), max_length=11, required=False)


class SignUpForm(PersonalDataForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    field_order = ["username", "real_name", "phone", "email", "password1", "password2", "date_of_birth"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords do not match."))
        return cleaned


class RateLimitedLoginMixin:
    """The login rate limit (accounts.backends) as a form error: how long to wait, and nothing about the account."""

    def clean(self):
        try:
            return super().clean()
        except RateLimited as error:
            raise ValidationError(wait_message(error), code="rate_limited")


class LoginForm(RateLimitedLoginMixin, AuthenticationForm):
    username = forms.CharField(label=_("Username or mobile phone"), max_length=150)


class AdminLoginForm(RateLimitedLoginMixin, WagtailLoginForm):
    """The CMS login (WAGTAILADMIN_USER_LOGIN_FORM)."""


class VerificationCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Confirmation code"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
