"""Reads for accounts."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Membership, User


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
