"""The demo curriculum: the package in content/curricula/demo, imported and published. Idempotent."""

from __future__ import annotations

from pathlib import Path

from content.models import CoursePage, CurriculumPage, LessonPage, TrainingBasePage
from content.services import curriculum_import

DEMO_PACKAGE = Path(__file__).resolve().parent / "curricula" / "demo"


def load() -> dict[str, int]:
    """Import the demo package and publish every page; needs the demo organisations. Returns page counts."""
    curriculum_import(path=DEMO_PACKAGE, publish=True)
    return {
        "training_bases": TrainingBasePage.objects.live().count(),
        "curricula": CurriculumPage.objects.live().count(),
        "courses": CoursePage.objects.live().count(),
        "lessons": LessonPage.objects.live().count(),
    }
