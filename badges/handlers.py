"""Receivers of lower layers' signals, each queueing one badge evaluation.

The signals are sent after their transaction commits, so receivers queue at once (no on_commit of their own). One
learning event queues one evaluation: a graded attempt or a recorded practical assessment is evaluated with its
quiz or rubric and its course. By the time this runs, the course's completion (if the event completed it) is already
committed: courses' receiver of the same signal runs first, because courses sits below badges in INSTALLED_APPS and
so connects first (docs/flows.md). course_completed therefore queues only for completions that no such event caused
(the last lesson read, an administrator, the demo).
"""

from __future__ import annotations

EVENTS_THAT_EVALUATE_THEIR_COURSE = ("attempt_graded", "practical_assessment_recorded")


def on_course_completed(sender, completion, cause: str = "", **kwargs) -> None:
    from badges.tasks import evaluate_badges

    if cause in EVENTS_THAT_EVALUATE_THEIR_COURSE:
        return
    evaluate_badges.delay(completion.user_id, course_ids=[completion.course_id])


def on_practical_assessment_recorded(sender, assessment, **kwargs) -> None:
    from badges.tasks import evaluate_badges

    course_ids = [assessment.rubric.course_id] if assessment.rubric.course_id else []
    evaluate_badges.delay(assessment.learner_id, rubric_ids=[assessment.rubric_id], course_ids=course_ids)


def on_attempt_graded(sender, attempt, **kwargs) -> None:
    from badges.tasks import evaluate_badges

    course_ids = [attempt.quiz.course_id] if attempt.quiz.course_id else []
    evaluate_badges.delay(attempt.user_id, quiz_ids=[attempt.quiz_id], course_ids=course_ids)
