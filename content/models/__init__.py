"""Wagtail page types: home > training base > curriculum > course > lesson."""

from content.models.pages import (
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
