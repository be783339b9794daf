"""An unverified account learns, but its hours and certificates wait for confirmation, then count once (ADR 0021)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from accounts import sms
from accounts.constants import Role
from accounts.demo import load_organizations, load_users
from accounts.models import User
from accounts.selectors import user_is_verified
from accounts.services import membership_add, user_register, user_verification_confirm
from certificates.models import Certificate
from courses.models import CourseCompletion
from courses.services.completion import completions_credit_after_verification
from hours.models import HoursEntry, HoursStatus
from tests.certificates.factories import complete, course_with_definition
from tests.factories import UserFactory
from tests.lms.api_helpers import fresh_throttles  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


@pytest.fixture
def newcomer(cast):
    sms.outbox.clear()
    user = user_register(username="newcomer", password="Serve-Others-88!", real_name="新学员", phone="13600002020")
    membership_add(user=user, organization=cast.school_a, role=Role.LEARNER)
    return user


def sent_code() -> str:
    return re.search(r"\d{6}", sms.outbox[-1].message).group(0)


def test_hours_and_certificates_wait_for_confirmation_then_count_once(
    cast, newcomer, django_capture_on_commit_callbacks
):
    _curriculum, course, _definition = course_with_definition(cast.base_x)
    with django_capture_on_commit_callbacks(execute=True):
        completion = complete(newcomer, course)
    assert CourseCompletion.objects.filter(user=newcomer).count() == 1  # the learning itself is recorded
    assert not HoursEntry.objects.filter(user=newcomer).exists()
    assert not Certificate.objects.filter(learner=newcomer).exists()

    with django_capture_on_commit_callbacks(execute=True):
        user_verification_confirm(user=newcomer, code=sent_code())
    entry = HoursEntry.objects.get(user=newcomer)
    assert (entry.minutes, entry.status) == (completion.credit_minutes, HoursStatus.VERIFIED)
    assert entry.occurred_on == timezone.localdate(completion.completed_at)  # the day it was earned
    assert entry.credited_organization == cast.school_a
    assert Certificate.objects.filter(learner=newcomer).count() == 1
    completion.refresh_from_db()
    assert completion.hours_entry == entry

    # Nothing counted twice: confirming again, crediting again, completing again.
    with django_capture_on_commit_callbacks(execute=True):
        user_verification_confirm(user=User.objects.get(pk=newcomer.pk), code=sent_code())
        completions_credit_after_verification(user=User.objects.get(pk=newcomer.pk))
        complete(User.objects.get(pk=newcomer.pk), course)
    assert HoursEntry.objects.filter(user=newcomer).count() == 1
    assert Certificate.objects.filter(learner=newcomer).count() == 1


def test_a_verified_learner_is_credited_at_once(cast, django_capture_on_commit_callbacks):
    _curriculum, course, _definition = course_with_definition(cast.base_x)
    with django_capture_on_commit_callbacks(execute=True):
        complete(cast.learner, course)
    assert HoursEntry.objects.filter(user=cast.learner).count() == 1
    assert Certificate.objects.filter(learner=cast.learner).count() == 1


def test_every_account_not_self_registered_counts_as_verified(cast):
    assert user_is_verified(UserFactory())
    load_users(load_organizations())
    assert all(user_is_verified(user) for user in User.objects.all() if user.username != "newcomer")
