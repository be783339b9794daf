"""Reading statements: the learner's own, and those of the organisations whose reports a coordinator sees."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Organization, User
from xapi.models import XapiStatement


def statements_of_user(*, user: User) -> QuerySet[XapiStatement]:
    return XapiStatement.objects.filter(user=user).order_by("-timestamp", "-stored_at")


def statements_of_organization(*, organization: Organization) -> QuerySet[XapiStatement]:
    return XapiStatement.objects.filter(organization=organization).order_by("-timestamp", "-stored_at")
