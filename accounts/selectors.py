"""Reads for accounts."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import ApiToken, Membership, User


def user_memberships(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organization").order_by("organization__name", "role")


def user_find_by_login(*, login: str) -> User | None:
    """A user by username (case-insensitive) or mobile number."""
    login = (login or "").strip()
    if not login:
        return None
    user = User.objects.filter(username__iexact=login).first()
    if user is None and login.isdigit():
        user = User.objects.filter(phone=login).first()
    return user


def user_is_verified(user: User) -> bool:
    """Do the user's learning hours and certificates count? The one gate (ADR 0021): every account does, except a
    self-registered one until it confirms a code sent to its phone or email."""
    return bool(user.identity_verified)


def verification_destinations(*, user: User) -> dict[str, str]:
    """Where a confirmation code can go: the mobile number waiting to be confirmed, and the email address while the
    account is unverified ({"phone": ..., "email": ...}, either or both or none)."""
    destinations = {}
    if user.pending_phone:
        destinations["phone"] = user.pending_phone
    if not user.identity_verified and user.email:
        destinations["email"] = user.email
    return destinations


def api_token_fingerprints(*, user: User) -> list[str]:
    """What a token issued under the user's current password carries: one per secret key still accepted."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [
        salted_hmac("accounts.ApiToken.password", user.password, secret=secret, algorithm="sha256").hexdigest()
        for secret in secrets
    ]


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """The user's live API tokens, most recently used first (expired and password-ended ones left out)."""
    return ApiToken.objects.filter(
        user=user, expires_at__gt=timezone.now(), password_fingerprint__in=api_token_fingerprints(user=user)
    ).order_by("-last_used_at", "-pk")
