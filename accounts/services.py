"""Writes for accounts and organisations. Every function is atomic; each docstring says if it is idempotent."""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import re
import secrets
import time
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from accounts.constants import OrganizationKind, Role
from accounts.models import ApiToken, Membership, Organization, User, generate_volunteer_number
from accounts.permissions import (
    ROLE_PERMISSIONS,
    organization_permissions_sync,
    permissions_bulk_grant,
    permissions_sync,
)
from accounts.selectors import api_token_fingerprints, verification_destinations
from accounts.signals import user_verified
from accounts.sms import send_sms
from accounts.validators import personal_data_check
from core.ratelimit import Guard, RateLimited


def wait_message(error: RateLimited) -> str:
    """What a rate-limited person reads, for every guarded form and endpoint."""
    return _("Too many attempts. Please try again in %(seconds)d seconds.") % {"seconds": error.retry_after}


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
    check_unique: bool = True,
) -> dict[str, object]:
    """Check the personal data rules (accounts.validators.personal_data_check) and, with `check_unique`, that the
    mobile and ID numbers are nobody else's; return the cleaned values; raises ValidationError by field.

    Sign-up never checks uniqueness (it would tell anyone whose number is registered); a verified user's profile
    does, and each "already registered" answer counts against the user's `profile_unique` rate limit (ADR 0021)."""
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
    if check_unique:
        _check_unique_numbers(cleaned=cleaned, errors=errors, instance=instance)
    if errors:
        raise ValidationError(errors)
    cleaned.pop("minor")
    return cleaned


def _check_unique_numbers(*, cleaned: dict, errors: dict[str, list[str]], instance: User | None) -> None:
    others = User.objects.exclude(pk=instance.pk) if instance is not None else User.objects.all()
    fields = {
        "phone": _("This mobile number is already registered."),
        "resident_id": _("This resident ID number is already registered."),
    }
    for field, taken_message in fields.items():
        value = cleaned[field]
        if not value or field in errors or (instance is not None and getattr(instance, field) == value):
            continue
        guard = Guard("profile_unique", account=f"user:{instance.pk}" if instance is not None else None)
        try:
            guard.begin()
        except RateLimited as error:
            errors.setdefault(field, []).append(wait_message(error))
            continue
        if others.filter(**{field: value}).exists():
            errors.setdefault(field, []).append(taken_message)
        else:
            guard.succeeded(reset_account=False)


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
    """Create a volunteer account after checking every rule, and send the codes that confirm its phone or email;
    creates nothing on error. Not idempotent.

    The account is unverified (its learning is not credited) until a code comes back. Its mobile and ID numbers wait
    as pending, unchecked against other accounts, so the answer is the same whether they are registered or not; the
    owner of a registered mobile number gets a notice instead of a code (ADR 0021)."""
    errors: dict[str, list[str]] = {}
    username = (username or "").strip()
    email = (email or "").strip()
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
            check_unique=False,
        )
    except ValidationError as error:
        errors.update(error.message_dict)
        cleaned = {}
    if cleaned and not cleaned["phone"] and not email:
        errors.setdefault("phone", []).append(
            _("Enter a mobile number or an email address: we send it a code that confirms your account.")
        )
    if not errors:
        candidate = User(username=username, email=email, real_name=str(cleaned["real_name"]))
        try:
            validate_password(password, user=candidate)
        except ValidationError as error:
            errors["password"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    pending_phone = cleaned.pop("phone") or ""
    pending_resident_id = cleaned.pop("resident_id") or ""
    user = _user_create(
        username=username,
        password=password,
        email=email,
        identity_verified=False,
        pending_phone=pending_phone,
        pending_resident_id=pending_resident_id,
        **cleaned,
    )
    _verification_codes_send(user=user)
    return user


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
    """Update the user's personal data after the same checks as sign-up. Idempotent.

    An unverified account's mobile and ID numbers stay pending, as at sign-up (a new mobile number gets a code); a
    verified account's are checked against other accounts. The pending number shown in the form comes back as it
    was and stays pending."""
    unverified = not user.identity_verified
    keeps_pending_phone = bool(user.pending_phone) and (phone or "").strip() == user.pending_phone
    cleaned = user_personal_data_validate(
        real_name=real_name,
        phone=None if keeps_pending_phone else phone,
        resident_id=resident_id,
        date_of_birth=date_of_birth,
        guardian_consent=guardian_consent,
        guardian_name=guardian_name,
        guardian_phone=guardian_phone,
        instance=user,
        check_unique=not unverified,
    )
    new_pending_phone = ""
    if keeps_pending_phone:
        cleaned["phone"] = user.phone
    elif unverified:
        new_pending_phone = str(cleaned.pop("phone") or "")
        user.pending_phone = new_pending_phone
        user.phone = None
    if unverified:
        pending_resident_id = cleaned.pop("resident_id")
        if pending_resident_id:
            user.pending_resident_id = str(pending_resident_id)
    for field, value in cleaned.items():
        setattr(user, field, value)
    user.email = email
    user.save()
    if new_pending_phone:
        with contextlib.suppress(RateLimited):  # the verification page offers to send it again later
            user_verification_send(user=user, channel="phone")
    return user


# ---------------------------------------------------------------------------------------------------------------
# Confirming a self-registered account's phone or email (ADR 0021).
# ---------------------------------------------------------------------------------------------------------------

VERIFICATION_CODE_SECONDS = 600  # a code is good for the ten minutes it was made in and the ten after


def _verification_code(*, user: User, channel: str, destination: str, step: int) -> str:
    # Derived, not stored: a code is bound to the account, the channel, the number or address, and its ten minutes.
    mac = salted_hmac("accounts.verification", f"{user.pk}:{channel}:{destination}:{step}", algorithm="sha256")
    return f"{int(mac.hexdigest(), 16) % 1_000_000:06d}"


def _verification_codes_send(*, user: User, channel: str | None = None) -> list[str]:
    step = int(time.time() // VERIFICATION_CODE_SECONDS)
    sent = []
    for name, destination in verification_destinations(user=user).items():
        if channel not in (None, name):
            continue
        code = _verification_code(user=user, channel=name, destination=destination, step=step)
        if name == "phone":
            owner = User.objects.filter(phone=destination).exclude(pk=user.pk).first()
            if owner is not None:
                # The number is someone else's: its owner hears of the attempt, and nobody learns anything else.
                send_sms(
                    phone=destination,
                    message=_(
                        "Someone has just signed up with your mobile number. If it was you, log in with this number "
                        "instead, or reset your password. Otherwise ignore this message."
                    ),
                )
            else:
                send_sms(
                    phone=destination,
                    message=_("Your confirmation code is %(code)s. It is valid for 10 minutes.") % {"code": code},
                )
        else:
            send_mail(
                _("Confirm your volunteer account"),
                _(
                    "Your confirmation code is %(code)s. It is valid for 10 minutes.\n\nEnter it on the page that "
                    "asked for it. If you did not sign up, ignore this message."
                )
                % {"code": code},
                None,
                [destination],
            )
        sent.append(name)
    return sent


def user_verification_send(*, user: User, channel: str | None = None) -> list[str]:
    """Send the codes again (to `channel`, or everywhere there is one to confirm); returns the channels. Rate-limited
    per user (raises RateLimited). Not idempotent: each call sends."""
    Guard("verification_send", account=f"user:{user.pk}").begin()
    return _verification_codes_send(user=user, channel=channel)


@transaction.atomic
def user_verification_confirm(*, user: User, code: str) -> list[str]:
    """Check a code sent to the user's pending phone or email: the phone becomes the account's, the account is
    verified, its pending ID number joins it; returns notes on what could not join. Raises ValidationError on a wrong
    or expired code (rate-limited per user). Idempotent: confirming again changes nothing more."""
    guard = Guard("verification_code", account=f"user:{user.pk}")
    try:
        guard.begin()
    except RateLimited as error:
        raise ValidationError({"code": [wait_message(error)]})
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not verification_destinations(user=locked):
        return []  # nothing left to confirm
    code = re.sub(r"\D", "", code or "")
    step = int(time.time() // VERIFICATION_CODE_SECONDS)
    channel = next(
        (
            name
            for name, destination in verification_destinations(user=locked).items()
            for candidate_step in (step, step - 1)
            if constant_time_compare(
                code, _verification_code(user=locked, channel=name, destination=destination, step=candidate_step)
            )
        ),
        None,
    )
    if channel is None:
        raise ValidationError({"code": [_("This code is wrong or has expired. Check it, or send a new one.")]})
    guard.succeeded()
    notes: list[str] = []
    if channel == "phone":
        phone, locked.pending_phone = locked.pending_phone, ""
        if User.objects.filter(phone=phone).exclude(pk=locked.pk).exists():
            notes.append(_("This mobile number is already registered."))
        else:
            locked.phone = phone
    was_verified, locked.identity_verified = locked.identity_verified, True
    if locked.pending_resident_id:
        resident_id, locked.pending_resident_id = locked.pending_resident_id, ""
        owner = User.objects.filter(resident_id=resident_id).exclude(pk=locked.pk).first()
        if owner is not None:
            notes.append(_("This resident ID number is already registered, so it was not added to your account."))
            _notify(
                user=owner,
                message=_(
                    "Someone tried to add your resident ID number to another volunteer account. If it was not you, "
                    "please tell your volunteer organisation."
                ),
            )
        else:
            locked.resident_id = resident_id
    fields = ["phone", "pending_phone", "identity_verified", "resident_id", "pending_resident_id"]
    try:
        with transaction.atomic():
            locked.save(update_fields=fields)
    except IntegrityError:
        # Another account claimed a number since we looked: it stays that account's.
        others = User.objects.exclude(pk=locked.pk)
        if locked.phone and others.filter(phone=locked.phone).exists():
            locked.phone = None
            notes.append(_("This mobile number is already registered."))
        if locked.resident_id and others.filter(resident_id=locked.resident_id).exists():
            locked.resident_id = None
        locked.save(update_fields=fields)
    if not was_verified:
        transaction.on_commit(lambda: user_verified.send(sender=User, user=locked))
    return notes


def _notify(*, user: User, message: str) -> None:
    if user.phone:
        send_sms(phone=user.phone, message=message)
    elif user.email:
        send_mail(_("A notice about your volunteer account"), message, None, [user.email])


# ---------------------------------------------------------------------------------------------------------------
# API tokens (ADR 0021): one per device, stored as a SHA-256 digest, ended by expiry or a password change.
# ---------------------------------------------------------------------------------------------------------------

API_TOKEN_TOUCH_SECONDS = 60  # last use (and a sliding expiry) is written at most once a minute per token


def api_token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _api_token_expiry(*, created_at: datetime.datetime, now: datetime.datetime) -> datetime.datetime:
    return min(now + settings.API_TOKEN_TTL, created_at + settings.API_TOKEN_MAX_AGE)


@transaction.atomic
def api_token_issue(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for the device `name`, replacing that device's token; returns (token, key). The key is not stored:
    hand it to the client now. Not idempotent. Keeps at most API_TOKENS_PER_USER (the least recently used go)."""
    name = (name or "").strip()[:64] or "API"
    now = timezone.now()
    fingerprints = api_token_fingerprints(user=user)
    mine = ApiToken.objects.filter(user=user)
    mine.filter(name=name).delete()
    mine.exclude(expires_at__gt=now, password_fingerprint__in=fingerprints).delete()
    surplus = list(
        mine.order_by("-last_used_at", "-pk").values_list("pk", flat=True)[settings.API_TOKENS_PER_USER - 1 :]
    )
    if surplus:
        ApiToken.objects.filter(pk__in=surplus).delete()
    key = secrets.token_hex(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        digest=api_token_digest(key),
        password_fingerprint=fingerprints[0],
        last_used_at=now,
        expires_at=_api_token_expiry(created_at=now, now=now),
    )
    return token, key


def api_token_authenticate(*, key: str) -> ApiToken | None:
    """The live token with this key, its use recorded; None for an unknown, expired or password-ended one (which is
    deleted). One query, plus a write at most once a minute. Idempotent."""
    token = ApiToken.objects.select_related("user").filter(digest=api_token_digest(key)).first()
    if token is None:
        return None
    now = timezone.now()
    if token.expires_at <= now or token.password_fingerprint not in api_token_fingerprints(user=token.user):
        token.delete()
        return None
    if (now - token.last_used_at).total_seconds() >= API_TOKEN_TOUCH_SECONDS:
        token.last_used_at = now
        if settings.API_TOKEN_SLIDING:
            token.expires_at = _api_token_expiry(created_at=token.created_at, now=now)
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=token.last_used_at, expires_at=token.expires_at)
    return token


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    """End one token. Idempotent."""
    ApiToken.objects.filter(pk=token.pk).delete()


@transaction.atomic
def api_tokens_revoke_all(*, user: User) -> int:
    """End every token of the user; returns how many were live or not. Idempotent."""
    deleted, _by_model = ApiToken.objects.filter(user=user).delete()
    return deleted


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
