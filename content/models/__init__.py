"""Wagtail page types: home > training base > curriculum > course > lesson."""

from .pages import (
    Audience,
    CoursePage,
    CurriculumPage,
    HomePage,
    LessonPage,
    Level,
    TrainingBasePage,
)

__all__ = [
    "Audience",
    "CoursePage",
    "CurriculumPage",
    "HomePage",
    "LessonPage",
    "Level",
    "TrainingBasePage",
]
