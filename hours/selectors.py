"""Reads of the hours ledger that several screens share."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet, Sum

from accounts.models import User
from hours.models import HoursEntry, HoursKind, HoursStatus


def hours_entries_of_year(*, user: User, school_year: str) -> QuerySet[HoursEntry]:
    """The learner's entries of one school year, newest first, with the organisations they name."""
    return (
        HoursEntry.objects.filter(user=user, school_year=school_year)
        .select_related("credited_organization", "recorded_by_organization")
        .order_by("-occurred_on", "-pk")
    )


def verified_practice_minutes(*, user: User, until: datetime.date | None = None) -> int:
    """Minutes of verified practice (service) the user has, over all years or up to a date: what star levels count."""
    entries = HoursEntry.objects.filter(user=user, kind=HoursKind.PRACTICE, status=HoursStatus.VERIFIED)
    if until is not None:
        entries = entries.filter(occurred_on__lte=until)
    total = entries.aggregate(total=Sum("minutes"))["total"]
    return int(total or 0)
