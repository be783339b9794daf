"""{% profile_badges user %}: the star level (verified service hours) and valid badges, for the profile page,
which lives in accounts and so may not import this app; the template includes it instead."""

from __future__ import annotations

from django import template
from django.utils import timezone

from badges.models import BadgeAward, valid_awards_q
from hours.selectors import verified_practice_minutes
from hours.stars import star_level_for_minutes

register = template.Library()


@register.inclusion_tag("badges/profile_badges.html")
def profile_badges(user):
    minutes = verified_practice_minutes(user=user)
    awards = list(
        BadgeAward.objects.filter(valid_awards_q(timezone.localdate()), learner=user)
        .select_related("badge_class")
        .order_by("badge_class__name")
    )
    return {"star": star_level_for_minutes(minutes), "awards": awards, "star_range": range(5)}
