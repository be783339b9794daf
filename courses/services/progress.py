"""The course player's writes: opening a lesson, crediting time on its page (the reading clock), and marking it
finished once the minimum reading time is credited.

The reading clock (ADR 0019): the lesson page sends a heartbeat every LESSON_HEARTBEAT_SECONDS while it is visible
and focused. Each heartbeat credits the time since the previous heartbeat of the same learner in the same course
(`Enrollment.last_heartbeat_at`), at most one interval plus LESSON_HEARTBEAT_SLACK_SECONDS, to the one lesson it came
from. The enrolment's clock is claimed by a conditional UPDATE, so every second of wall-clock time is credited at
most once per learner and course: lessons read in parallel tabs share one clock and do not add up.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from content.models import LessonPage
from courses.models import Enrollment, EnrollmentStatus, LessonProgress
from courses.services.completion import completion_evaluate
from courses.signals import lesson_completed


def minimum_reading_seconds(lesson: LessonPage) -> int:
    """Learning hours count toward school requirements, so a lesson cannot be clicked through: this many seconds
    on its page must be credited before it is marked finished (settings.LESSON_MIN_READING_FRACTION; 0 = none)."""
    fraction = float(getattr(settings, "LESSON_MIN_READING_FRACTION", 0) or 0)
    return max(0, math.ceil(lesson.estimated_minutes * 60 * fraction))


def reading_seconds_left(*, lesson: LessonPage, progress: LessonProgress | None) -> int:
    """Seconds of reading still to be credited before the lesson may be finished (0 once finished)."""
    if progress is not None and progress.completed_at is not None:
        return 0
    credited = progress.credited_seconds if progress is not None else 0
    return max(0, minimum_reading_seconds(lesson) - credited)


def heartbeat_seconds() -> int:
    """How often the lesson page sends a heartbeat while it is visible and focused."""
    return max(1, int(getattr(settings, "LESSON_HEARTBEAT_SECONDS", 15)))


def heartbeat_credit_cap() -> int:
    """The most one heartbeat credits: one interval and the slack for a late timer or a slow network."""
    return heartbeat_seconds() + max(0, int(getattr(settings, "LESSON_HEARTBEAT_SLACK_SECONDS", 5)))


@dataclass(frozen=True)
class ReadingCredit:
    credited: int  # seconds this heartbeat credited
    credited_seconds: int  # the lesson's credited reading time now
    minimum_seconds: int
    remaining_seconds: int


@transaction.atomic
def lesson_heartbeat(
    *, enrollment: Enrollment, lesson_id: int, start: bool = False, now: datetime.datetime | None = None
) -> ReadingCredit:
    """Credit the time on the lesson's page since the learner's previous heartbeat in this course, capped at
    heartbeat_credit_cap(), to this lesson only. `start` (the page just became visible) credits nothing and starts
    the clock. Three queries, no lock: the UPDATE of the enrolment's clock is conditional on the value read, so a
    concurrent heartbeat of another tab claims the same interval at most once. Not idempotent: each call is a tick.

    Raises ValidationError when the enrolment is withdrawn or the lesson was not opened in this course."""
    if enrollment.status == EnrollmentStatus.WITHDRAWN:
        raise ValidationError(_("You have withdrawn from this course; enrol again to continue."), code="withdrawn")
    now = now or timezone.now()
    progress = (
        LessonProgress.objects.select_related("lesson")
        .filter(user_id=enrollment.user_id, course_id=enrollment.course_id, lesson_id=lesson_id)
        .first()
    )
    if progress is None:  # lesson_open checked that the lesson is in the course when it made the row
        raise ValidationError(_("Open the lesson and read it before marking it finished."), code="not_opened")
    minimum = minimum_reading_seconds(progress.lesson)

    def result(credited: int) -> ReadingCredit:
        total = progress.credited_seconds + credited
        left = reading_seconds_left(lesson=progress.lesson, progress=progress) - credited
        return ReadingCredit(credited, total, minimum, max(0, left))

    if progress.completed_at is not None or not enrollment.is_active:
        return result(0)  # nothing left to credit: leave the clock to the lessons still being read
    last = enrollment.last_heartbeat_at
    if last is not None and now < last:  # another server's clock ran ahead: the clock never runs back
        return result(0)
    if start or last is None:
        credited, clock = 0, now
    elif (now - last).total_seconds() > heartbeat_credit_cap():  # beats were missed: credit one interval at most
        credited, clock = heartbeat_credit_cap(), now
    else:
        credited = int((now - last).total_seconds())
        if credited == 0:
            return result(0)
        clock = last + datetime.timedelta(seconds=credited)  # the fraction of a second carries to the next beat
    claimed = Enrollment.objects.filter(pk=enrollment.pk, last_heartbeat_at=last).update(last_heartbeat_at=clock)
    if claimed != 1:  # another tab's heartbeat took this interval
        enrollment.refresh_from_db(fields=["last_heartbeat_at"])
        return result(0)
    enrollment.last_heartbeat_at = clock
    if credited:
        LessonProgress.objects.filter(pk=progress.pk).update(credited_seconds=F("credited_seconds") + credited)
    return result(credited)


def _check_lesson_in_course(*, enrollment: Enrollment, lesson: LessonPage) -> None:
    course = enrollment.course
    if not (lesson.live and lesson.depth == course.depth + 1 and lesson.path.startswith(course.path)):
        raise ValidationError(_("This lesson is not part of the course."), code="not_in_course")


@transaction.atomic
def lesson_open(*, enrollment: Enrollment, lesson: LessonPage, now: datetime.datetime | None = None) -> LessonProgress:
    """Record that the learner opened the lesson and remember it for resuming; reading time is credited by
    lesson_heartbeat only. Idempotent: opening again keeps the first time."""
    if enrollment.status == EnrollmentStatus.WITHDRAWN:
        raise ValidationError(_("You have withdrawn from this course; enrol again to continue."), code="withdrawn")
    _check_lesson_in_course(enrollment=enrollment, lesson=lesson)
    now = now or timezone.now()
    progress = LessonProgress.objects.filter(user_id=enrollment.user_id, lesson=lesson).first()
    if progress is None:
        try:
            with transaction.atomic():
                progress = LessonProgress.objects.create(
                    user_id=enrollment.user_id, course_id=enrollment.course_id, lesson=lesson, opened_at=now
                )
        except IntegrityError:
            progress = LessonProgress.objects.get(user_id=enrollment.user_id, lesson=lesson)
    Enrollment.objects.filter(pk=enrollment.pk).update(last_lesson=lesson, last_activity_at=now)
    return progress


@transaction.atomic
def lesson_complete(
    *, enrollment: Enrollment, lesson: LessonPage, now: datetime.datetime | None = None
) -> LessonProgress:
    """Mark the lesson finished once its minimum reading time is credited (lesson_heartbeat), then evaluate the
    course's completion. Idempotent: a lesson already finished stays as it was and credits nothing again."""
    if enrollment.status == EnrollmentStatus.WITHDRAWN:
        raise ValidationError(_("You have withdrawn from this course; enrol again to continue."), code="withdrawn")
    _check_lesson_in_course(enrollment=enrollment, lesson=lesson)
    now = now or timezone.now()
    progress = LessonProgress.objects.select_for_update().filter(user_id=enrollment.user_id, lesson=lesson).first()
    if progress is None:
        raise ValidationError(_("Open the lesson and read it before marking it finished."), code="not_opened")
    if progress.completed_at is not None:
        return progress
    remaining = reading_seconds_left(lesson=lesson, progress=progress)
    if remaining > 0:
        minutes = math.ceil(remaining / 60)
        raise ValidationError(
            ngettext(
                "Please keep reading: you can mark this lesson finished in about %(minutes)d minute.",
                "Please keep reading: you can mark this lesson finished in about %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
            code="too_soon",
        )
    progress.completed_at = now
    progress.save(update_fields=["completed_at"])
    transaction.on_commit(lambda: lesson_completed.send(sender=LessonProgress, progress=progress))
    Enrollment.objects.filter(pk=enrollment.pk).update(last_activity_at=now)
    if enrollment.status == EnrollmentStatus.ACTIVE:
        completion_evaluate(user=enrollment.user, course=enrollment.course)
    return progress
