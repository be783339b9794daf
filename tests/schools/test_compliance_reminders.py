import datetime

import pytest
from django.conf import settings
from django.core import mail

from schools.models import ComplianceReminder
from schools.tasks import send_compliance_reminder, send_compliance_reminders
from tests.hours.factories import HoursEntryFactory
from tests.schools.factories import StudentProfileFactory

pytestmark = pytest.mark.django_db

REMINDER_DAY = datetime.date(2027, 8, 1)


@pytest.fixture(autouse=True)
def a_day_in_august(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: REMINDER_DAY)


def test_each_coordinator_gets_only_their_own_students_not_meeting_the_requirement(cast):
    behind = StudentProfileFactory(organization=cast.school_a, student_number="A-behind", user__real_name="落后生")
    done = StudentProfileFactory(organization=cast.school_a, student_number="A-done", user__real_name="达标生")
    HoursEntryFactory(user=done.user, minutes=8 * 60, credited_organization=cast.school_a)
    HoursEntryFactory(user=behind.user, minutes=60, credited_organization=cast.school_a)
    StudentProfileFactory(organization=cast.school_b, student_number="B-behind", user__real_name="乙校生")

    assert send_compliance_reminders.delay().get() == 2  # school A (a college) and school B
    by_recipient = {message.to[0]: message for message in mail.outbox}
    body_a = by_recipient[cast.coordinator_a.email].body
    assert "A-behind" in body_a and "落后生" in body_a and "1.0/8" in body_a
    assert "A-done" not in body_a and "B-behind" not in body_a
    assert "B-behind" in by_recipient[cast.coordinator_b.email].body
    assert "2026-2027" in by_recipient[cast.coordinator_a.email].subject


def test_a_repeated_run_on_the_same_day_sends_nothing_more(cast):
    StudentProfileFactory(organization=cast.school_a, student_number="A1")
    assert send_compliance_reminder.delay(cast.school_a.pk, "2026-2027").get() == 1
    assert send_compliance_reminder.delay(cast.school_a.pk, "2026-2027").get() == 0
    assert len(mail.outbox) == 1
    assert ComplianceReminder.objects.get().student_count == 1


def test_the_beat_schedule_runs_weeks_before_the_year_ends():
    entry = settings.CELERY_BEAT_SCHEDULE["schools-compliance-reminders"]
    assert entry["task"] == "schools.tasks.send_compliance_reminders"
    schedule = entry["schedule"]
    assert schedule.month_of_year == {7, 8} and max(schedule.day_of_month) <= 17
    assert send_compliance_reminders.acks_late
