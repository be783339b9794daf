"""Factories and builders for the learner's path: a course with lessons, a quiz, optionally a rubric."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from assessments.models import Attempt, AttemptQuestion, QuestionOption, Quiz, Rubric
from assessments.services import attempt_start, attempt_submit
from content.models import CoursePage, LessonPage
from courses.models import Enrollment
from courses.services.enrollment import enrollment_create
from courses.services.progress import heartbeat_seconds, lesson_complete, lesson_heartbeat, lesson_open
from tests.assessments.factories import RubricFactory, quiz_with_questions
from tests.content.factories import CoursePageFactory, LessonPageFactory, course_tree


@dataclass
class LearningCourse:
    course: CoursePage
    lessons: list[LessonPage]
    quiz: Quiz | None = None
    rubric: Rubric | None = None
    curriculum: object = None
    extra: dict = field(default_factory=dict)


def learning_course(organization, *, lessons: int = 2, quiz: bool = True, rubric: bool = False, **course_fields):
    """A published course of the organisation's training base with lessons, a linked quiz and maybe a rubric."""
    course_fields.setdefault("credit_hours", 2)
    _base, curriculum, course, lesson_pages = course_tree(organization, lessons=lessons, **course_fields)
    result = LearningCourse(course=course, lessons=lesson_pages, curriculum=curriculum)
    if quiz:
        result.quiz = quiz_with_questions(organization=organization, count=3, course=course, standalone_open=False)
    if rubric:
        result.rubric = RubricFactory(organization=organization, course=course)
    return result


def sibling_course(curriculum, **fields) -> CoursePage:
    fields.setdefault("credit_hours", 1)
    course = CoursePageFactory(parent=curriculum, **fields)
    LessonPageFactory(parent=course)
    return course


def correct_answers(attempt: Attempt) -> dict[int, list[int]]:
    """The right answer to each (single-choice) question of the attempt, in display positions."""
    answers = {}
    for item in AttemptQuestion.objects.filter(attempt=attempt).order_by("position"):
        correct = set(
            QuestionOption.objects.filter(question_id=item.question_id, is_correct=True).values_list("pk", flat=True)
        )
        answers[item.position] = [index for index, option_id in enumerate(item.option_order) if option_id in correct]
    return answers


def wrong_answers(attempt: Attempt) -> dict[int, list[int]]:
    answers = {}
    for item in AttemptQuestion.objects.filter(attempt=attempt).order_by("position"):
        correct = set(
            QuestionOption.objects.filter(question_id=item.question_id, is_correct=True).values_list("pk", flat=True)
        )
        answers[item.position] = [next(i for i, option_id in enumerate(item.option_order) if option_id not in correct)]
    return answers


def read_lesson(enrollment: Enrollment, lesson: LessonPage, start: datetime.datetime) -> datetime.datetime:
    """Open the lesson at `start` and send its page's heartbeats until the minimum reading time is credited (the
    services, with explicit times); returns the time of the last heartbeat."""
    progress = lesson_open(enrollment=enrollment, lesson=lesson, now=start)
    clock = max(start, progress.opened_at, enrollment.last_heartbeat_at or start)  # never before what happened
    credit = lesson_heartbeat(enrollment=enrollment, lesson_id=lesson.pk, start=True, now=clock)
    while credit.remaining_seconds > 0:
        clock += datetime.timedelta(seconds=heartbeat_seconds())
        credit = lesson_heartbeat(enrollment=enrollment, lesson_id=lesson.pk, now=clock)
        assert credit.credited, "the reading clock stopped crediting"
    return clock


def read_all_lessons(enrollment: Enrollment, lessons: list[LessonPage]) -> None:
    """Read each lesson in turn (heartbeats for its minimum reading time), then finish it."""
    clock = timezone.now() - datetime.timedelta(hours=2)
    for lesson in lessons:
        clock = read_lesson(enrollment, lesson, clock)
        lesson_complete(enrollment=enrollment, lesson=lesson, now=clock)


def pass_quiz(quiz: Quiz, user) -> Attempt:
    attempt = attempt_start(quiz=quiz, user=user)
    return attempt_submit(attempt=attempt, user=user, answers=correct_answers(attempt))


def enrol(user, course) -> Enrollment:
    enrollment, _created = enrollment_create(user=user, course=course)
    return enrollment
