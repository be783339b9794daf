"""Writes for accounts and organisations. Every function is atomic; each docstring says if it is idempotent."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.constants import OrganizationKind, Role
from accounts.models import Membership, Organization, User, generate_volunteer_number
from accounts.permissions import (
    ROLE_PERMISSIONS,
    organization_permissions_sync,
    permissions_bulk_grant,
    permissions_sync,
)
from accounts.validators import personal_data_check


def user_personal_data_validate(
    *,
    real_name: str,
    phone: str | None,
    resident_id: str | None,
    date_of_birth: datetime.date | None,
    guardian_consent: bool,
    guardian_name: str = "",
    guardian_phone: str = "",
    instance: User | None = None,
) -> dict[str, object]:
    """Check the personal data rules (accounts.validators.personal_data_check) and that the mobile and ID numbers
    are nobody else's; return the cleaned values; raises ValidationError by field."""
    cleaned, errors = personal_data_check(
        real_name=real_name,
        phone=phone,
        resident_id=resident_id,
        date_of_birth=date_of_birth,
        guardian_consent=guardian_consent,
        guardian_name=guardian_name,
        guardian_phone=guardian_phone,
        today=timezone.localdate(),
    )
    others = User.objects.exclude(pk=instance.pk) if instance is not None else User.objects.all()
    if cleaned["phone"] and "phone" not in errors and others.filter(phone=cleaned["phone"]).exists():
        errors.setdefault("phone", []).append(_("This mobile number is already registered."))
    if (
        cleaned["resident_id"]
        and "resident_id" not in errors
        and others.filter(resident_id=cleaned["resident_id"]).exists()
    ):
        errors.setdefault("resident_id", []).append(_("This resident ID number is already registered."))
    if errors:
        raise ValidationError(errors)
    cleaned.pop("minor")
    return cleaned


def user_register(
    *,
    username: str,
    password: str,
    real_name: str,
    email: str = "",
    phone: str | None = None,
    resident_id: str | None = None,
    date_of_birth: datetime.date | None = None,
    guardian_consent: bool = False,
    guardian_name: str = "",
    guardian_phone: str = "",
) -> User:
    """Create a volunteer account after checking every rule; creates nothing on error. Not idempotent."""
    errors: dict[str, list[str]] = {}
    username = (username or "").strip()
    if not username:
        errors["username"] = [_("Please choose a username.")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This username is already taken.")]
    try:
        cleaned = user_personal_data_validate(
            real_name=real_name,
            phone=phone,
            resident_id=resident_id,
            date_of_birth=date_of_birth,
            guardian_consent=guardian_consent,
            guardian_name=guardian_name,
            guardian_phone=guardian_phone,
        )
    except ValidationError as error:
        errors.update(error.message_dict)
        cleaned = {}
    if not errors:
        candidate = User(username=username, email=email, real_name=str(cleaned["real_name"]))
        try:
            validate_password(password, user=candidate)
        except ValidationError as error:
            errors["password"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    return _user_create(username=username, password=password, email=email, **cleaned)


def _user_create(*, username: str, password: str | None, email: str = "", **fields: object) -> User:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                user = User(username=username, email=email, volunteer_number=generate_volunteer_number(), **fields)
                if password:
                    user.set_password(password)
                else:
                    user.set_unusable_password()
                user.save()
                return user
        except IntegrityError as error:
            # Only a volunteer-number collision is retried; anything else (a racing duplicate phone) is a real error.
            if "volunteer_number" not in str(error):
                raise ValidationError(_("This account conflicts with an existing one; please check and retry."))
    raise RuntimeError("Could not generate a unique volunteer number")


@transaction.atomic
def user_profile_update(
    *,
    user: User,
    real_name: str,
    email: str = "",
    phone: str | None = None,
    resident_id: str | None = None,
    date_of_birth: datetime.date | None = None,
    guardian_consent: bool = False,
    guardian_name: str = "",
    guardian_phone: str = "",
) -> User:
    """Update the user's personal data after the same checks as sign-up. Idempotent."""
    cleaned = user_personal_data_validate(
        real_name=real_name,
        phone=phone,
        resident_id=resident_id,
        date_of_birth=date_of_birth,
        guardian_consent=guardian_consent,
        guardian_name=guardian_name,
        guardian_phone=guardian_phone,
        instance=user,
    )
    for field, value in cleaned.items():
        setattr(user, field, value)
    user.email = email
    user.save()
    return user


@transaction.atomic
def organization_create(
    *,
    name: str,
    kind: str,
    slug: str,
    parent: Organization | None = None,
    name_en: str = "",
    minutes_per_hour: int = 60,
    required_hours_override: Decimal | None = None,
    skill_area: str = "",
) -> Organization:
    """Create an organisation. Not idempotent (see organization_ensure)."""
    if kind not in OrganizationKind.values:
        raise ValidationError({"kind": [_("Unknown organisation kind: %(kind)s") % {"kind": kind}]})
    organization = Organization(
        name=name,
        name_en=name_en,
        kind=kind,
        slug=slug,
        parent=parent,
        minutes_per_hour=minutes_per_hour,
        required_hours_override=required_hours_override,
        skill_area=skill_area,
    )
    organization.full_clean()
    organization.save()
    return organization


@transaction.atomic
def organization_ensure(*, slug: str, **fields: object) -> Organization:
    """Create the organisation with this slug or update its fields. Idempotent."""
    organization, _created = Organization.objects.update_or_create(slug=slug, defaults=fields)
    return organization


@transaction.atomic
def organization_set_root_page(*, organization: Organization, page_id: int | None) -> Organization:
    """Link the organisation to the page its editors may work under, and re-sync editors. Idempotent."""
    organization.root_page_id = page_id
    organization.save(update_fields=["root_page"])
    organization_permissions_sync(organization=organization)
    return organization


@transaction.atomic
def membership_add(*, user: User, organization: Organization, role: str) -> Membership:
    """Give the user a role in the organisation and sync their permissions. Idempotent."""
    if role not in Role.values:
        raise ValidationError({"role": [_("Unknown role: %(role)s") % {"role": role}]})
    membership, _created = Membership.objects.get_or_create(user=user, organization=organization, role=role)
    permissions_sync(user=user, organization=organization)
    return membership


@transaction.atomic
def memberships_bulk_add(*, users: list[User], organization: Organization, role: str) -> int:
    """Give many users one role at once (roster imports); returns how many memberships were new. Idempotent.

    The result equals calling membership_add for each user, in a constant number of queries for roles whose
    permissions are object permissions only; roles with Wagtail group side effects take the per-user path.
    """
    if role not in Role.values:
        raise ValidationError({"role": [_("Unknown role: %(role)s") % {"role": role}]})
    if role in (Role.EDITOR, Role.ADMIN):
        for user in users:
            membership_add(user=user, organization=organization, role=role)
        return len(users)
    existing = set(
        Membership.objects.filter(organization=organization, role=role, user__in=users).values_list(
            "user_id", flat=True
        )
    )
    new_users = [user for user in users if user.pk not in existing]
    Membership.objects.bulk_create(
        [Membership(user=user, organization=organization, role=role) for user in new_users], batch_size=1000
    )
    permissions_bulk_grant(users=users, organization=organization, codenames=ROLE_PERMISSIONS[role])
    return len(new_users)


@transaction.atomic
def membership_remove(*, user: User, organization: Organization, role: str) -> None:
    """Take the role away and revoke what only it granted. Idempotent."""
    Membership.objects.filter(user=user, organization=organization, role=role).delete()
    permissions_sync(user=user, organization=organization)


@transaction.atomic
def membership_pairs_resync(*, pairs: list[tuple[int, int]]) -> None:
    """Make each (user id, organisation id) pair's object permissions equal what its memberships grant now.

    For edits outside the membership services (the admin): an edit that moves a membership to another user or
    organisation passes the old pair and the new one, so the old pair loses what only that membership granted
    (docs/decisions/0002). Idempotent."""
    for user_id, organization_id in dict.fromkeys(pairs):
        user = User.objects.filter(pk=user_id).first()
        organization = Organization.objects.filter(pk=organization_id).first()
        if user is not None and organization is not None:
            permissions_sync(user=user, organization=organization)
