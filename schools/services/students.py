"""Students' side of the roster: classes, the organisation's hours policy, and activating an imported account."""

from __future__ import annotations

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from schools.models import SchoolClass, SchoolPolicy, StudentProfile


@transaction.atomic
def school_class_create(*, organization: Organization, name: str, grade: str = "") -> SchoolClass:
    """Add a class to the organisation. Idempotent by name (an existing class keeps its grade)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Please enter the class name.")})
    school_class, _created = SchoolClass.objects.get_or_create(
        organization=organization, name=name, defaults={"grade": (grade or "").strip()}
    )
    return school_class


def school_policy_for(*, organization: Organization) -> SchoolPolicy:
    """The organisation's policy, created with the defaults (learning + practice) on first use. Idempotent."""
    policy, _created = SchoolPolicy.objects.get_or_create(organization=organization)
    return policy


@transaction.atomic
def school_policy_update(
    *, organization: Organization, count_learning: bool, count_practice: bool, count_training: bool
) -> SchoolPolicy:
    """Choose which kinds of hours count toward the requirement; at least one must. Idempotent."""
    if not (count_learning or count_practice or count_training):
        raise ValidationError(_("At least one kind of hours must count toward the requirement."))
    policy = school_policy_for(organization=organization)
    policy.count_learning, policy.count_practice, policy.count_training = (
        count_learning,
        count_practice,
        count_training,
    )
    policy.save()
    return policy


@transaction.atomic
def student_account_activate(*, username: str, activation_code: str, password: str) -> User:
    """Set the password of an imported account with its activation code; the code works once. Not idempotent."""
    invalid = ValidationError({"activation_code": _("The username or activation code is not correct.")})
    code = (activation_code or "").strip().upper().replace(" ", "")
    user = User.objects.filter(username__iexact=(username or "").strip()).first()
    if user is None or not code:
        raise invalid
    profiles = list(
        StudentProfile.objects.select_for_update().filter(user=user).exclude(activation_code="").order_by("pk")
    )
    if not any(secrets.compare_digest(profile.activation_code, code) for profile in profiles):
        raise invalid
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({"password1": list(error.messages)})
    user.set_password(password)
    user.save(update_fields=["password"])
    StudentProfile.objects.filter(user=user).exclude(activation_code="").update(
        activation_code="", activated_at=timezone.now()
    )
    return user
