"""Who a participant row names: a student number of the organiser's roster, or a volunteer number.

A school's or college's activity is its students' service: there a volunteer number must belong to one of its own
students. Teams, bases and the city office record service done for them, so any volunteer number will do
(docs/decisions/0017-own-records-only.md)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.constants import OrganizationKind
from accounts.models import Organization, User
from schools.models import StudentProfile

EDUCATIONAL_KINDS = (OrganizationKind.COLLEGE, OrganizationKind.SCHOOL)


def admits_only_students(organizer: Organization) -> bool:
    """Does the organiser record service for its own students only (a school or college)?"""
    return organizer.kind in EDUCATIONAL_KINDS


def students_among(*, organizer: Organization, user_ids: Iterable[int]) -> set[int]:
    """The ids among `user_ids` of the organiser's students (one query)."""
    return set(
        StudentProfile.objects.filter(organization=organizer, user_id__in=list(user_ids)).values_list(
            "user_id", flat=True
        )
    )


def not_a_student_message(*, who: str, volunteer_number: str, organizer: Organization) -> str:
    return _("%(who)s: volunteer number %(number)s is not a student of %(school)s.") % {
        "who": who,
        "number": volunteer_number,
        "school": organizer.name,
    }


@dataclass(frozen=True)
class ParticipantDirectory:
    organizer: Organization
    by_student_number: dict[str, User]
    by_volunteer_number: dict[str, User]

    def resolve(self, row: Mapping, prefix: str) -> tuple[User | None, str | None]:
        """The user a row names, or a message (starting with `prefix`) saying why it names nobody."""
        if row.get("student_number"):
            user = self.by_student_number.get(row["student_number"])
            if user is None:
                return None, _("%(prefix)s: student number %(number)s is not on the roster.") % {
                    "prefix": prefix,
                    "number": row["student_number"],
                }
            return user, None
        if row.get("volunteer_number"):
            user = self.by_volunteer_number.get(row["volunteer_number"])
            if user is None and admits_only_students(self.organizer):
                # The same answer whether or not the number exists: a school learns nothing of other volunteers.
                return None, not_a_student_message(
                    who=prefix, volunteer_number=row["volunteer_number"], organizer=self.organizer
                )
            if user is None:
                return None, _("%(prefix)s: no volunteer has the number %(number)s.") % {
                    "prefix": prefix,
                    "number": row["volunteer_number"],
                }
            return user, None
        return None, _("%(prefix)s: give a student number or a volunteer number.") % {"prefix": prefix}


def participant_directory(*, organizer: Organization, rows: Iterable[Mapping]) -> ParticipantDirectory:
    """The users the rows name, in two queries whatever their number; a school's volunteer numbers are its students'."""
    rows = list(rows)
    student_numbers = {row.get("student_number") for row in rows} - {None, ""}
    volunteer_numbers = {row.get("volunteer_number") for row in rows} - {None, ""}
    by_student_number = {
        profile.student_number: profile.user
        for profile in StudentProfile.objects.filter(
            organization=organizer, student_number__in=student_numbers
        ).select_related("user")
    }
    volunteers = User.objects.filter(volunteer_number__in=volunteer_numbers)
    if admits_only_students(organizer):
        volunteers = volunteers.filter(student_profiles__organization=organizer).distinct()
    by_volunteer_number = {user.volunteer_number: user for user in volunteers}
    return ParticipantDirectory(organizer, by_student_number, by_volunteer_number)
