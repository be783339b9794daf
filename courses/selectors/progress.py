"""How far a learner is in courses: lessons done, quizzes passed, practical assessments passed.

A fixed number of queries (four) for any number of courses, so the dashboard and the player share it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q
from django.db.models.functions import Substr
from wagtail.models import Page

from accounts.models import User
from assessments.models import AttemptStatus, Quiz, Rubric
from content.models import CoursePage, LessonPage
from courses.models import LessonProgress


@dataclass
class QuizProgress:
    quiz_id: int
    title: str
    passed: bool
    best_percent: Decimal | None


@dataclass
class PracticalProgress:
    rubric_id: int
    title: str
    passed: bool


@dataclass
class CourseProgress:
    course_id: int
    lessons_total: int = 0
    lessons_done: int = 0
    quizzes: list[QuizProgress] = field(default_factory=list)
    practicals: list[PracticalProgress] = field(default_factory=list)

    @property
    def steps_total(self) -> int:
        return self.lessons_total + len(self.quizzes) + len(self.practicals)

    @property
    def steps_done(self) -> int:
        return (
            self.lessons_done
            + sum(1 for quiz in self.quizzes if quiz.passed)
            + sum(1 for practical in self.practicals if practical.passed)
        )

    @property
    def percent(self) -> int:
        return round(100 * self.steps_done / self.steps_total) if self.steps_total else 0

    @property
    def lessons_complete(self) -> bool:
        return self.lessons_done >= self.lessons_total

    @property
    def rules_met(self) -> bool:
        """The completion rules: every lesson done, every linked quiz passed, every linked rubric passed."""
        return self.steps_total > 0 and self.steps_done == self.steps_total

    @property
    def best_quiz_percent(self) -> Decimal | None:
        scores = [quiz.best_percent for quiz in self.quizzes if quiz.best_percent is not None]
        return max(scores) if scores else None


def _live_lesson_counts(courses: list[CoursePage]) -> dict[int, int]:
    by_depth: dict[int, dict[str, int]] = defaultdict(dict)
    for course in courses:
        by_depth[course.depth][course.path] = course.pk
    counts: dict[int, int] = {}
    for depth, course_by_path in by_depth.items():
        rows = (
            LessonPage.objects.live()
            .filter(depth=depth + 1)
            .annotate(parent_path=Substr("path", 1, depth * Page.steplen))
            .filter(parent_path__in=list(course_by_path))
            .order_by()  # the page manager orders by path, which would split the groups
            .values("parent_path")
            .annotate(count=Count("pk"))
            .values_list("parent_path", "count")
        )
        for parent_path, count in rows:
            counts[course_by_path[parent_path]] = count
    return counts


def progress_for_courses(*, user: User, courses: Iterable[CoursePage]) -> dict[int, CourseProgress]:
    """Progress of the learner in each course, keyed by course id."""
    courses = list(courses)
    if not courses:
        return {}
    ids = [course.pk for course in courses]
    progress = {course_id: CourseProgress(course_id=course_id) for course_id in ids}
    for course_id, count in _live_lesson_counts(courses).items():
        progress[course_id].lessons_total = count
    done_rows = (
        LessonProgress.objects.filter(user=user, course_id__in=ids, completed_at__isnull=False, lesson__live=True)
        .order_by()
        .values("course_id")
        .annotate(count=Count("pk"))
        .values_list("course_id", "count")
    )
    for course_id, count in done_rows:
        progress[course_id].lessons_done = count
    closed = ~Q(attempts__status=AttemptStatus.IN_PROGRESS) & Q(attempts__user=user)
    quizzes = (
        # Published quizzes and rubrics only: an editor's change counts once a moderator approves it (ADR 0020).
        Quiz.objects.filter(course_id__in=ids, live=True)
        .annotate(
            best=Max("attempts__percent", filter=closed),
            passes=Count("attempts", filter=closed & Q(attempts__passed=True)),
        )
        .order_by("pk")
        .values_list("pk", "course_id", "title", "best", "passes")
    )
    for quiz_id, course_id, title, best, passes in quizzes:
        progress[course_id].quizzes.append(QuizProgress(quiz_id, title, passes > 0, best))
    rubrics = (
        Rubric.objects.filter(course_id__in=ids, live=True)
        .annotate(passes=Count("assessments", filter=Q(assessments__learner=user, assessments__passed=True)))
        .order_by("pk")
        .values_list("pk", "course_id", "title", "passes")
    )
    for rubric_id, course_id, title, passes in rubrics:
        progress[course_id].practicals.append(PracticalProgress(rubric_id, title, passes > 0))
    return progress


def course_progress(*, user: User, course: CoursePage) -> CourseProgress:
    return progress_for_courses(user=user, courses=[course])[course.pk]


def lesson_states(*, user: User, course: CoursePage) -> dict[int, LessonProgress]:
    """The learner's progress rows in the course, keyed by lesson id."""
    return {row.lesson_id: row for row in LessonProgress.objects.filter(user=user, course=course)}
