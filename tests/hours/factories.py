"""factory_boy factories of the hours ledger."""

import datetime

import factory
from factory.django import DjangoModelFactory

from core.school_years import school_year_for
from hours.models import HoursEntry, HoursKind, HoursStatus
from tests.factories import UserFactory


class HoursEntryFactory(DjangoModelFactory):
    class Meta:
        model = HoursEntry

    user = factory.SubFactory(UserFactory)
    kind = HoursKind.PRACTICE
    minutes = 60
    occurred_on = datetime.date(2026, 10, 1)
    school_year = factory.LazyAttribute(lambda entry: school_year_for(entry.occurred_on))
    source_key = factory.Sequence(lambda n: f"test:{n}")
    status = HoursStatus.VERIFIED
    verified_at = factory.LazyFunction(lambda: datetime.datetime(2026, 10, 2, tzinfo=datetime.UTC))
