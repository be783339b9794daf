"""The course player's writes: opening a lesson and marking it finished after the minimum reading time."""

from __future__ import annotations

import datetime
import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from content.models import LessonPage
from courses.models import Enrollment, EnrollmentStatus, LessonProgress
from courses.services.completion import completion_evaluate
from courses.signals import lesson_completed


def minimum_reading_seconds(lesson: LessonPage) -> int:
    """Learning hours count toward school requirements, so a lesson cannot be clicked through: this many seconds
    must pass between first opening it and marking it finished (settings.LESSON_MIN_READING_FRACTION; 0 = none)."""
    fraction = float(getattr(settings, "LESSON_MIN_READING_FRACTION", 0) or 0)
    return max(0, math.ceil(lesson.estimated_minutes * 60 * fraction))


def _check_lesson_in_course(*, enrollment: Enrollment, lesson: LessonPage) -> None:
    course = enrollment.course
    if not (lesson.live and lesson.depth == course.depth + 1 and lesson.path.startswith(course.path)):
        raise ValidationError(_("This lesson is not part of the course."), code="not_in_course")


@transaction.atomic
def lesson_open(*, enrollment: Enrollment, lesson: LessonPage, now: datetime.datetime | None = None) -> LessonProgress:
    """Record that the learner opened the lesson (the first time starts the reading clock) and remember it for
    resuming. Idempotent: opening again keeps the first time."""
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
    """Mark the lesson finished once the minimum reading time has passed, then evaluate the course's completion.
    Idempotent: a lesson already finished stays as it was and credits nothing again."""
    if enrollment.status == EnrollmentStatus.WITHDRAWN:
        raise ValidationError(_("You have withdrawn from this course; enrol again to continue."), code="withdrawn")
    _check_lesson_in_course(enrollment=enrollment, lesson=lesson)
    now = now or timezone.now()
    progress = LessonProgress.objects.select_for_update().filter(user_id=enrollment.user_id, lesson=lesson).first()
    if progress is None:
        raise ValidationError(_("Open the lesson and read it before marking it finished."), code="not_opened")
    if progress.completed_at is not None:
        return progress
    remaining = minimum_reading_seconds(lesson) - (now - progress.opened_at).total_seconds()
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
