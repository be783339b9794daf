"""Who a participant row names: a student number of the organiser's roster, or a volunteer number."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.models import Organization, User
from schools.models import StudentProfile


@dataclass(frozen=True)
class ParticipantDirectory:
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
            if user is None:
                return None, _("%(prefix)s: no volunteer has the number %(number)s.") % {
                    "prefix": prefix,
                    "number": row["volunteer_number"],
                }
            return user, None
        return None, _("%(prefix)s: give a student number or a volunteer number.") % {"prefix": prefix}


def participant_directory(*, organizer: Organization, rows: Iterable[Mapping]) -> ParticipantDirectory:
    """The users the rows name, in two queries whatever their number."""
    rows = list(rows)
    student_numbers = {row.get("student_number") for row in rows} - {None, ""}
    volunteer_numbers = {row.get("volunteer_number") for row in rows} - {None, ""}
    by_student_number = {
        profile.student_number: profile.user
        for profile in StudentProfile.objects.filter(
            organization=organizer, student_number__in=student_numbers
        ).select_related("user")
    }
    by_volunteer_number = {
        user.volunteer_number: user for user in User.objects.filter(volunteer_number__in=volunteer_numbers)
    }
    return ParticipantDirectory(by_student_number, by_volunteer_number)
