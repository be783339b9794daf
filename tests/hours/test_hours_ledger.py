import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from hours.models import HoursEntry, HoursEntryEvent, HoursKind, HoursStatus
from hours.services import hours_entry_record, hours_entry_reject, hours_entry_verify

pytestmark = pytest.mark.django_db


def record(cast, **overrides):
    data = {
        "user": cast.learner,
        "kind": HoursKind.PRACTICE,
        "minutes": 90,
        "occurred_on": datetime.date(2026, 10, 1),
        "source_key": "practice:activity-1:user-1",
        "credited_organization": cast.school_a,
        "recorded_by_organization": cast.school_a,
        "recorded_by": cast.coordinator_a,
    }
    data.update(overrides)
    return hours_entry_record(**data)


def test_recording_twice_counts_once(cast):
    first, created = record(cast)
    again, created_again = record(cast, minutes=500)
    assert created and not created_again
    assert again.pk == first.pk and again.minutes == 90
    assert HoursEntry.objects.count() == 1
    assert first.school_year == "2026-2027" and first.status == HoursStatus.PENDING


def test_the_database_refuses_a_second_entry_for_one_source(cast):
    entry, _ = record(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        HoursEntry.objects.create(
            user=entry.user,
            kind=entry.kind,
            minutes=10,
            occurred_on=entry.occurred_on,
            school_year="2026-2027",
            source_key=entry.source_key,
        )


def test_only_the_recording_organisation_may_verify(cast):
    entry, _ = record(cast)
    for stranger in (cast.coordinator_b, cast.outsider, cast.learner):
        with pytest.raises(PermissionDenied):
            hours_entry_verify(entry=entry, verifier=stranger)
    verified = hours_entry_verify(entry=entry, verifier=cast.coordinator_a)
    assert verified.status == HoursStatus.VERIFIED and verified.verified_by == cast.coordinator_a
    hours_entry_verify(entry=entry, verifier=cast.coordinator_a)  # idempotent
    actions = list(HoursEntryEvent.objects.filter(entry=entry).values_list("action", flat=True))
    assert actions == ["created", "verified"]


def test_rejecting_needs_a_reason_and_is_audited(cast):
    entry, _ = record(cast)
    with pytest.raises(ValidationError):
        hours_entry_reject(entry=entry, verifier=cast.coordinator_a, reason=" ")
    rejected = hours_entry_reject(entry=entry, verifier=cast.coordinator_a, reason="未到场")
    assert rejected.status == HoursStatus.REJECTED
    assert HoursEntryEvent.objects.filter(entry=entry, action="rejected", note="未到场").exists()


def test_non_positive_minutes_are_rejected(cast):
    with pytest.raises(ValidationError):
        record(cast, minutes=0)
    assert HoursEntry.objects.count() == 0
