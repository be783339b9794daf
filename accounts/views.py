from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import selectors, services
from accounts.forms import PersonalDataForm, SignUpForm


def _add_service_errors(form, error: ValidationError) -> None:
    for field, field_messages in error.message_dict.items():
        target = field if field in form.fields else None
        if field == "password":
            target = "password1"
        for message in field_messages:
            form.add_error(target, message)


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_register(
                username=data["username"],
                password=data["password1"],
                real_name=data["real_name"],
                email=data["email"],
                phone=data["phone"],
                resident_id=data["resident_id"],
                date_of_birth=data["date_of_birth"],
                guardian_consent=data["guardian_consent"],
                guardian_name=data["guardian_name"],
                guardian_phone=data["guardian_phone"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            login(request, user, backend="accounts.backends.UsernameOrPhoneBackend")
            messages.success(
                request, _("Welcome! Your volunteer number is %(number)s.") % {"number": user.volunteer_number}
            )
            return redirect("accounts:profile")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/signup.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    initial = {
        "real_name": user.real_name,
        "email": user.email,
        "phone": user.phone or "",
        "date_of_birth": user.date_of_birth,
        "guardian_consent": user.guardian_consent,
        "guardian_name": user.guardian_name,
        "guardian_phone": user.guardian_phone,
    }
    form = PersonalDataForm(request.POST or None, initial=initial)
    form.fields["resident_id"].help_text = _("Leave empty to keep the number on file (%(masked)s).") % {
        "masked": user.masked_resident_id or "—"
    }
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_profile_update(
                user=user,
                real_name=data["real_name"],
                email=data["email"],
                phone=data["phone"],
                resident_id=data["resident_id"] or user.resident_id,
                date_of_birth=data["date_of_birth"],
                guardian_consent=data["guardian_consent"],
                guardian_name=data["guardian_name"],
                guardian_phone=data["guardian_phone"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
    context = {"form": form, "memberships": selectors.user_memberships(user=user)}
    return render(request, "accounts/profile.html", context, status=400 if form.errors else 200)
