from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import selectors, services
from accounts.forms import PersonalDataForm, SignUpForm, VerificationCodeForm
from accounts.permissions import get_object_for_user_or_404
from accounts.validators import mask_email, mask_phone
from core.ratelimit import Guard, RateLimited


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
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            Guard("signup", request=request).begin()
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
        except RateLimited as error:
            form.add_error(None, services.wait_message(error))
            status = 429
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            login(request, user, backend="accounts.backends.UsernameOrPhoneBackend")
            messages.success(
                request, _("Welcome! Your volunteer number is %(number)s.") % {"number": user.volunteer_number}
            )
            return redirect("accounts:verify")
    if request.method == "POST" and status == 200:
        status = 400
    return render(request, "accounts/signup.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """Enter the code sent to the phone or email of a new account, or have it sent again."""
    user = request.user
    destinations = selectors.verification_destinations(user=user)
    if not destinations:
        return redirect("accounts:profile")
    form = VerificationCodeForm(request.POST if "code" in request.POST else None)
    status = 200
    if request.method == "POST" and "resend" in request.POST:
        try:
            services.user_verification_send(user=user, channel=request.POST.get("resend") or None)
        except RateLimited as error:
            messages.error(request, services.wait_message(error))
        else:
            messages.info(request, _("We have sent a new code."))
        return redirect("accounts:verify")
    if request.method == "POST" and form.is_valid():
        try:
            notes = services.user_verification_confirm(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: your account is confirmed, and your learning now counts."))
            for note in notes:
                messages.warning(request, note)
            return redirect("accounts:profile")
    if form.errors:
        status = 400
    context = {
        "form": form,
        "phone": mask_phone(destinations.get("phone")),
        "email": mask_email(destinations.get("email")),
        "verified": selectors.user_is_verified(user),
    }
    return render(request, "accounts/verify.html", context, status=status)


@login_required
@require_GET
def tokens(request):
    """The user's API tokens (one per device), with a button to end each or all."""
    context = {"tokens": selectors.api_tokens_of(user=request.user)}
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_for_user_or_404(request.user, "view_own", selectors.api_tokens_of(user=request.user), pk=pk)
    services.api_token_revoke(token=token)
    messages.success(request, _("The token of %(device)s no longer works.") % {"device": token.name})
    return redirect("accounts:tokens")


@login_required
@require_POST
def tokens_revoke_all(request):
    services.api_tokens_revoke_all(user=request.user)
    messages.success(request, _("None of your API tokens works any more."))
    return redirect("accounts:tokens")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, limited per email address (mail bombing) and per client address (ADR 0021)."""

    def form_valid(self, form):
        try:
            Guard("password_reset", request=self.request, account=form.cleaned_data["email"]).begin()
        except RateLimited as error:
            form.add_error(None, services.wait_message(error))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


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
    if user.pending_phone:
        initial["phone"] = user.pending_phone
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
    context = {
        "form": form,
        "memberships": selectors.user_memberships(user=user),
        "verified": selectors.user_is_verified(user),
        "confirm_pending": bool(selectors.verification_destinations(user=user)),
    }
    return render(request, "accounts/profile.html", context, status=400 if form.errors else 200)
