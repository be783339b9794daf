"""The learner's whole record: courses (with dates and scores), withdrawn enrolments, and the hours ledger."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.models import User
from content.models import TrainingBasePage
from courses.models import CourseCompletion, Enrollment, EnrollmentStatus
from courses.selectors.dashboard import HoursSummary, hours_summary
from courses.selectors.learners import learner_school
from hours.models import HoursEntry


@dataclass
class CompletionRow:
    completion: CourseCompletion
    training_base: TrainingBasePage | None


@dataclass
class Transcript:
    learner: User
    generated_at: datetime.datetime
    completions: list[CompletionRow] = field(default_factory=list)
    in_progress: list[Enrollment] = field(default_factory=list)
    withdrawn: list[Enrollment] = field(default_factory=list)
    hours_entries: list[HoursEntry] = field(default_factory=list)
    hours: HoursSummary | None = None


def learner_transcript(*, learner: User) -> Transcript:
    """Everything on the learner's record, in a fixed number of queries."""
    bases = list(TrainingBasePage.objects.select_related("organization").order_by("path"))
    completions = list(
        CourseCompletion.objects.filter(user=learner)
        .select_related("course", "hours_entry")
        .order_by("completed_at", "pk")
    )
    transcript = Transcript(learner=learner, generated_at=timezone.now())
    for completion in completions:
        base = next(
            (
                base
                for base in bases
                if completion.course.path.startswith(base.path) and base.depth < completion.course.depth
            ),
            None,
        )
        transcript.completions.append(CompletionRow(completion, base))
    for enrollment in (
        Enrollment.objects.filter(user=learner)
        .exclude(status=EnrollmentStatus.COMPLETED)
        .select_related("course")
        .order_by("enrolled_at", "pk")
    ):
        (transcript.in_progress if enrollment.is_active else transcript.withdrawn).append(enrollment)
    transcript.hours_entries = list(
        HoursEntry.objects.filter(user=learner)
        .select_related("credited_organization", "recorded_by_organization")
        .order_by("occurred_on", "pk")
    )
    transcript.hours = hours_summary(user=learner, school=learner_school(user=learner))
    return transcript
