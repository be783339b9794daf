"""Demo progress for the demo learners (accounts/demo.py): completed courses with their hours, courses in progress.

Runs after the content and assessments demos. Idempotent: enrolments, lesson progress and completions are unique,
and a quiz is taken only while the learner has not passed it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from assessments.exceptions import AttemptNotAllowed
from assessments.models import Attempt, AttemptQuestion, QuestionOption, QuestionType, Quiz
from assessments.services import attempt_start, attempt_submit
from content.models import CoursePage, LessonPage
from courses.models import CourseCompletion, Enrollment
from courses.services.completion import completion_evaluate
from courses.services.enrollment import enrollment_create
from courses.services.progress import heartbeat_seconds, lesson_complete, lesson_heartbeat, lesson_open

# username -> [(course key, lessons to finish (None = all, and pass the quizzes))]
DEMO_PROGRESS: dict[str, list[tuple[str, int | None]]] = {
    # safety-self-protection first: it is the prerequisite of first-aid.
    "volunteer": [("intro-volunteering", None), ("safety-self-protection", None), ("first-aid", 1)],
    "student": [("intro-volunteering", None), ("law-and-policy", 1)],
    "pupil": [("pupils-intro", 1)],
}


@dataclass
class DemoReport:
    enrolments: int = 0
    completions: int = 0
    skipped: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"{self.enrolments} enrolments, {self.completions} completions"
        return text + (f"; skipped: {'; '.join(self.skipped)}" if self.skipped else "")


def _correct_answers(attempt: Attempt) -> dict[int, object]:
    """The right answer to every question of the attempt, as the learner would give it (display positions)."""
    answers: dict[int, object] = {}
    items = AttemptQuestion.objects.filter(attempt=attempt).select_related("question").order_by("position")
    for item in items:
        options = list(QuestionOption.objects.filter(question_id=item.question_id).order_by("sort_order", "id"))
        kind = item.question.type
        if kind == QuestionType.FILL:
            answers[item.position] = options[0].text if options else ""
        elif kind == QuestionType.ORDERING:
            answers[item.position] = [item.option_order.index(option.pk) for option in options]
        else:
            correct = {option.pk for option in options if option.is_correct}
            answers[item.position] = [
                index for index, option_id in enumerate(item.option_order) if option_id in correct
            ]
    return answers


def _read(enrollment: Enrollment, lesson: LessonPage, clock: datetime.datetime) -> datetime.datetime:
    """Read the lesson from `clock` on as the lesson page does (heartbeats until its minimum reading time is
    credited), then finish it; returns the time after."""
    progress = lesson_open(enrollment=enrollment, lesson=lesson, now=clock)
    # A second run of the demo continues where the clock stands, never before what already happened.
    clock = max(clock, progress.opened_at, enrollment.last_heartbeat_at or clock)
    credit = lesson_heartbeat(enrollment=enrollment, lesson_id=lesson.pk, start=True, now=clock)
    while credit.remaining_seconds > 0:
        clock += datetime.timedelta(seconds=heartbeat_seconds())
        credit = lesson_heartbeat(enrollment=enrollment, lesson_id=lesson.pk, now=clock)
        if not credit.credited:  # nothing more can be credited (a finished enrolment): leave the lesson as it is
            return clock
    lesson_complete(enrollment=enrollment, lesson=lesson, now=clock)
    return clock


def _pass_quizzes(user: User, course: CoursePage) -> None:
    for quiz in Quiz.objects.filter(course=course):
        if Attempt.objects.filter(quiz=quiz, user=user, passed=True).exists():
            continue
        try:
            attempt = attempt_start(quiz=quiz, user=user)
        except AttemptNotAllowed:
            continue
        attempt_submit(attempt=attempt, user=user, answers=_correct_answers(attempt))


@transaction.atomic
def load() -> DemoReport:
    report = DemoReport()
    clock = timezone.now() - datetime.timedelta(days=3)
    for username, plans in DEMO_PROGRESS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            report.skipped.append(f"no user {username}")
            continue
        for course_key, lesson_count in plans:
            course = CoursePage.objects.live().filter(key=course_key).first()
            if course is None:
                report.skipped.append(f"no course {course_key}")
                continue
            try:
                enrollment, _created = enrollment_create(user=user, course=course)
            except ValidationError as error:
                report.skipped.append(f"{username} → {course_key}: {error.messages[0]}")
                continue
            report.enrolments += 1
            lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
            for lesson in lessons if lesson_count is None else lessons[:lesson_count]:
                clock = _read(enrollment, lesson, clock)
            if lesson_count is None:
                _pass_quizzes(user, course)
                completion_evaluate(user=user, course=course)
    report.completions = CourseCompletion.objects.filter(user__username__in=list(DEMO_PROGRESS)).count()
    return report
