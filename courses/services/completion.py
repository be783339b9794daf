"""Completion: when a course's rules hold, one CourseCompletion and its learning-hours entry, then one signal."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import user_is_verified
from content.models import CoursePage
from core.hours import DEFAULT_MINUTES_PER_HOUR, hours_to_minutes
from courses.models import CourseCompletion, Enrollment, EnrollmentStatus
from courses.selectors.learners import course_training_base_organization, learner_school
from courses.selectors.progress import course_progress
from courses.signals import course_completed
from hours.models import HoursKind
from hours.services import hours_entry_record


def completion_source_key(completion: CourseCompletion) -> str:
    return f"course-completion:{completion.pk}"


@transaction.atomic
def course_complete(
    *, enrollment: Enrollment, score_percent: Decimal | None = None, cause: str = ""
) -> tuple[CourseCompletion, bool]:
    """Record the completion and credit its learning hours in one transaction; returns (completion, created).
    Idempotent: a second call returns the first completion and credits nothing. Callers check the rules first
    (completion_evaluate does). `cause` names the event that completed it (the signal's name, or "" for a lesson,
    the demo or an administrator); receivers of course_completed get it.

    A learner who is not verified yet (accounts.selectors.user_is_verified, ADR 0021) completes the course, but its
    hours and the course_completed signal (certificates, badges, xAPI) wait for
    completions_credit_after_verification."""
    locked = Enrollment.objects.select_for_update().select_related("course", "user").get(pk=enrollment.pk)
    existing = CourseCompletion.objects.filter(user_id=locked.user_id, course_id=locked.course_id).first()
    if existing is not None:
        return existing, False
    course: CoursePage = locked.course
    now = timezone.now()
    school = learner_school(user=locked.user)
    # A 学时 is the credited school's (45 or 60 minutes), so a 2-学时 course counts 2 学时 toward its requirement.
    minutes_per_hour = school.minutes_per_hour if school is not None else DEFAULT_MINUTES_PER_HOUR
    minutes = hours_to_minutes(course.credit_hours, minutes_per_hour)
    try:
        with transaction.atomic():
            completion = CourseCompletion.objects.create(
                user_id=locked.user_id,
                course=course,
                enrollment=locked,
                completed_at=now,
                score_percent=score_percent,
                credit_minutes=minutes,
            )
    except IntegrityError:
        # Another transaction completed the course between our check and insert; the constraint decided.
        return CourseCompletion.objects.get(user_id=locked.user_id, course_id=locked.course_id), False
    credited = user_is_verified(locked.user)
    if credited:
        _credit_hours(completion=completion, user=locked.user, course=course, school=school)
    locked.status = EnrollmentStatus.COMPLETED
    locked.completed_at = now
    locked.save(update_fields=["status", "completed_at"])
    if credited:
        transaction.on_commit(
            lambda: course_completed.send(sender=CourseCompletion, completion=completion, cause=cause)
        )
    return completion, True


def _credit_hours(*, completion: CourseCompletion, user: User, course: CoursePage, school) -> None:
    # Dated the day of completion, so hours credited after a late confirmation fall in the right school year.
    if completion.credit_minutes <= 0:
        return
    entry, _created = hours_entry_record(
        user=user,
        kind=HoursKind.LEARNING,
        minutes=completion.credit_minutes,
        occurred_on=timezone.localdate(completion.completed_at),
        source_key=completion_source_key(completion),
        credited_organization=school,
        recorded_by_organization=course_training_base_organization(course=course),
        description=_("Completed the course %(course)s") % {"course": course.title},
        verified=True,
    )
    completion.hours_entry = entry
    completion.save(update_fields=["hours_entry"])


@transaction.atomic
def completions_credit_after_verification(*, user: User) -> int:
    """Credit what waited for the learner's confirmation: each completion's learning hours, then course_completed
    (cause "identity_verified") for each; returns how many. From accounts.signals.user_verified, sent once per
    account. Idempotent for hours (one entry per source key) and certificates (one per definition and learner)."""
    if not user_is_verified(user):
        return 0
    school = learner_school(user=user)
    waiting = list(
        CourseCompletion.objects.filter(user=user, hours_entry__isnull=True).select_related("course").order_by("pk")
    )
    for completion in waiting:
        _credit_hours(completion=completion, user=user, course=completion.course, school=school)
    transaction.on_commit(lambda: _send_completed(waiting, cause="identity_verified"))
    return len(waiting)


def _send_completed(completions: list[CourseCompletion], *, cause: str) -> None:
    for completion in completions:
        course_completed.send(sender=CourseCompletion, completion=completion, cause=cause)


@transaction.atomic
def completion_evaluate(*, user: User, course: CoursePage, cause: str = "") -> CourseCompletion | None:
    """Complete the course if its rules hold for the learner's current enrolment; returns the completion or None.
    Idempotent: run it after any relevant event, as often as it comes."""
    existing = CourseCompletion.objects.filter(user=user, course=course).first()
    if existing is not None:
        return existing
    enrollment = Enrollment.objects.filter(user=user, course=course, status=EnrollmentStatus.ACTIVE).first()
    if enrollment is None:
        return None
    progress = course_progress(user=user, course=course)
    if not progress.rules_met:
        return None
    completion, _created = course_complete(enrollment=enrollment, score_percent=progress.best_quiz_percent, cause=cause)
    return completion


def completion_evaluate_by_ids(*, user_id: int, course_id: int | None, cause: str = "") -> CourseCompletion | None:
    """For signal handlers: load by id (the objects may be stale after commit), then completion_evaluate."""
    if course_id is None:
        return None
    user = User.objects.filter(pk=user_id).first()
    course = CoursePage.objects.filter(pk=course_id).first()
    if user is None or course is None:
        return None
    return completion_evaluate(user=user, course=course, cause=cause)
