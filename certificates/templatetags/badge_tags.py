"""{% profile_badges user %}: the star level (verified service hours) and valid badges, for the profile page,
which lives in lms.accounts and so may not import this app; the template includes it instead."""

from __future__ import annotations

from django import template
from django.db.models import Q, Sum
from django.utils import timezone

from courses.models import HoursEntry, HoursKind, HoursStatus
from courses.stars import star_level_for_minutes

from ..models import BadgeAward, valid_awards_q

register = template.Library()


@register.inclusion_tag("certificates/includes/profile_badges.html")
def profile_badges(user):
    minutes = HoursEntry.objects.filter(Q(status=HoursStatus.VERIFIED, kind=HoursKind.PRACTICE), user=user).aggregate(
        total=Sum("minutes")
    )["total"]
    awards = list(
        BadgeAward.objects.filter(valid_awards_q(timezone.localdate()), learner=user)
        .select_related("badge_class")
        .order_by("badge_class__name")
    )
    return {"star": star_level_for_minutes(minutes or 0), "awards": awards, "star_range": range(5)}
