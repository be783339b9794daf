from .hours import HoursEntry, HoursEntryEvent, HoursKind, HoursStatus
from .learning import CourseCompletion, Enrollment, EnrollmentStatus, LessonProgress
from .schools import (
    ComplianceReminder,
    RosterImport,
    SchoolClass,
    SchoolPolicy,
    ServiceActivity,
    ServiceParticipation,
    StudentProfile,
)

__all__ = [
    "ComplianceReminder",
    "CourseCompletion",
    "Enrollment",
    "EnrollmentStatus",
    "HoursEntry",
    "HoursEntryEvent",
    "HoursKind",
    "HoursStatus",
    "LessonProgress",
    "RosterImport",
    "SchoolClass",
    "SchoolPolicy",
    "ServiceActivity",
    "ServiceParticipation",
    "StudentProfile",
]
