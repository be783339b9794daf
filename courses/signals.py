"""Signals that `courses` sends to higher layers (certificates). Handlers live in the receiving app."""

from django.dispatch import Signal

# Sent once, on commit, when a CourseCompletion is created. Arguments: completion (courses.CourseCompletion) and
# cause, the name of the signal whose receiver completed it ("attempt_graded", "practical_assessment_recorded"), or "".
course_completed = Signal()

# Sent once per lesson, on commit, when a learner finishes it. Arguments: progress (courses.LessonProgress).
lesson_completed = Signal()
