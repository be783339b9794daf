"""Practice hours: recording a service activity (every rule checked per participant first) and verifying it.

Each participant's minutes become one pending practice HoursEntry (source "practice:<activity>:<user>"), recorded
by the organiser; only the organiser's coordinators may verify it (谁记录谁证明, enforced in hours_entry_verify).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from accounts.permissions import user_can
from core.school_years import is_school_year_name, school_year_bounds
from core.spreadsheets import SpreadsheetError, read_table
from hours.models import HoursEntry, HoursKind, HoursStatus
from hours.services import hours_entry_record, hours_entry_reject, hours_entry_verify
from schools.models import ServiceActivity, ServiceParticipation, StudentProfile
from schools.selectors.participants import (
    admits_only_students,
    not_a_student_message,
    participant_directory,
    students_among,
)

MINUTES_PER_DAY = 24 * 60

PARTICIPANT_ALIASES = {
    "student_number": "student_number",
    "学号": "student_number",
    "volunteer_number": "volunteer_number",
    "志愿者编号": "volunteer_number",
    "name": "name",
    "姓名": "name",
    "minutes": "minutes",
    "时长（分钟）": "minutes",
    "时长(分钟)": "minutes",
    "时长": "minutes",
}


@dataclass
class ParticipantInput:
    """Who took part and for how long; `label` names the row or person in error messages."""

    user: User
    minutes: int | None
    label: str


def _minutes_between(start: datetime.time, end: datetime.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def _label(participant: ParticipantInput) -> str:
    return participant.label or participant.user.display_name


def participants_from_file(
    *, organizer: Organization, data: bytes, file_name: str
) -> tuple[list[ParticipantInput], list[str]]:
    """Read participants (学号 of the organiser's roster or 志愿者编号, optional minutes); errors name the row.

    A school's or college's 志愿者编号 must be one of its own students'."""
    try:
        table = read_table(data, file_name=file_name, aliases=PARTICIPANT_ALIASES, required=())
    except SpreadsheetError as error:
        raise ValidationError(error.message)
    if "student_number" not in table.headers and "volunteer_number" not in table.headers:
        raise ValidationError(_("The participant file needs a 学号 (student number) or 志愿者编号 column."))
    prefixes = [_("Row %(row)d") % {"row": number} for number in table.row_numbers]
    return participants_resolve(organizer=organizer, rows=table.rows, prefixes=prefixes)


def participants_resolve(
    *, organizer: Organization, rows: Sequence[Mapping], prefixes: Sequence[str] | None = None
) -> tuple[list[ParticipantInput], list[str]]:
    """The one resolver of participant rows, for the form's file and the API alike (two queries for any number).

    A row names a student number of the organiser's roster or a volunteer number (of one of its students when the
    organiser is a school or college), optionally a name that must match the record and a number of minutes; each
    row that fails gets one message starting with its prefix (the file's row number, or "Participant N")."""
    if prefixes is None:
        prefixes = [_("Participant %(number)d") % {"number": number} for number in range(1, len(rows) + 1)]
    directory = participant_directory(organizer=organizer, rows=rows)
    participants: list[ParticipantInput] = []
    errors: list[str] = []
    for row, prefix in zip(rows, prefixes, strict=True):
        user, error = directory.resolve(row, prefix)
        if user is None:
            errors.append(error or prefix)
            continue
        if row.get("name") and row["name"] != user.real_name:
            errors.append(
                _("%(prefix)s: the name %(name)s does not match the record (%(record)s).")
                % {"prefix": prefix, "name": row["name"], "record": user.real_name}
            )
            continue
        minutes: int | None = None
        if row.get("minutes") not in (None, ""):
            try:
                minutes = int(float(row["minutes"]))
            except (TypeError, ValueError):
                errors.append(
                    _("%(prefix)s: the duration “%(value)s” is not a number of minutes.")
                    % {"prefix": prefix, "value": row["minutes"]}
                )
                continue
        participants.append(ParticipantInput(user=user, minutes=minutes, label=f"{prefix} ({user.display_name})"))
    return participants, errors


def _check_activity(
    *,
    title: str,
    content: str,
    place: str,
    occurred_on: datetime.date,
    start_time: datetime.time | None,
    end_time: datetime.time | None,
    school_year: str,
    duration_minutes: int | None,
) -> list[str]:
    errors: list[str] = []
    if not title.strip():
        errors.append(_("Please give the activity a title."))
    if not content.strip():
        errors.append(_("Please describe the service content."))
    if not place.strip():
        errors.append(_("Please give the place."))
    if occurred_on > timezone.localdate():
        errors.append(
            _("The activity date %(date)s is in the future; record service after it happened.") % {"date": occurred_on}
        )
    if not is_school_year_name(school_year):
        errors.append(_("Choose a school year such as 2026-2027."))
    else:
        first, last = school_year_bounds(school_year)
        if not first <= occurred_on <= last:
            errors.append(
                _("The date %(date)s is outside the school year %(year)s (%(first)s to %(last)s).")
                % {"date": occurred_on, "year": school_year, "first": first, "last": last}
            )
    if (start_time is None) != (end_time is None):
        errors.append(_("Give both the start and the end time, or neither."))
    elif start_time is not None and end_time is not None and end_time <= start_time:
        errors.append(_("The end time must be after the start time."))
    if duration_minutes is not None and duration_minutes <= 0:
        errors.append(_("The duration must be more than 0 minutes."))
    if duration_minutes is None and start_time is None:
        errors.append(_("Give the start and end time or a duration."))
    return errors


def _check_participants(
    *,
    participants: list[ParticipantInput],
    occurred_on: datetime.date,
    start_time: datetime.time | None,
    end_time: datetime.time | None,
    default_minutes: int | None,
) -> tuple[dict[int, int], list[str]]:
    """Minutes per user id, and one message per violation naming the participant."""
    errors: list[str] = []
    minutes_by_user: dict[int, int] = {}
    span = _minutes_between(start_time, end_time) if start_time and end_time and end_time > start_time else None
    seen: set[int] = set()
    for participant in participants:
        label = _label(participant)
        if participant.user.pk in seen:
            errors.append(_("%(who)s is listed twice.") % {"who": label})
            continue
        seen.add(participant.user.pk)
        minutes = participant.minutes if participant.minutes is not None else default_minutes
        if minutes is None or minutes <= 0:
            errors.append(_("%(who)s: the duration must be more than 0 minutes.") % {"who": label})
            continue
        if minutes > MINUTES_PER_DAY:
            errors.append(_("%(who)s: %(minutes)d minutes is more than 24 hours.") % {"who": label, "minutes": minutes})
            continue
        if span is not None and minutes > span:
            errors.append(
                _("%(who)s: %(minutes)d minutes is longer than the activity (%(span)d minutes).")
                % {"who": label, "minutes": minutes, "span": span}
            )
            continue
        minutes_by_user[participant.user.pk] = minutes
    user_ids = list(minutes_by_user)
    if not user_ids:
        return minutes_by_user, errors
    already = dict(
        HoursEntry.objects.filter(user_id__in=user_ids, occurred_on=occurred_on, kind=HoursKind.PRACTICE)
        .exclude(status=HoursStatus.REJECTED)
        .values("user_id")
        .annotate(total=Sum("minutes"))
        .values_list("user_id", "total")
    )
    overlaps: dict[int, list[ServiceParticipation]] = {}
    if start_time is not None and end_time is not None:
        clashing = (
            ServiceParticipation.objects.filter(
                user_id__in=user_ids,
                activity__occurred_on=occurred_on,
                activity__start_time__lt=end_time,
                activity__end_time__gt=start_time,
            )
            .exclude(hours_entry__status=HoursStatus.REJECTED)
            .select_related("activity")
        )
        for participation in clashing:
            overlaps.setdefault(participation.user_id, []).append(participation)
    for participant in participants:
        user_id = participant.user.pk
        if user_id not in minutes_by_user:
            continue
        label = _label(participant)
        total = already.get(user_id, 0) + minutes_by_user[user_id]
        if total > MINUTES_PER_DAY:
            errors.append(
                _("%(who)s: with %(already)d minutes already recorded on %(date)s this makes more than 24 hours.")
                % {"who": label, "already": already.get(user_id, 0), "date": occurred_on}
            )
        for clash in overlaps.get(user_id, []):
            activity = clash.activity
            errors.append(
                _("%(who)s already took part in “%(title)s” from %(start)s to %(end)s, which overlaps this activity.")
                % {
                    "who": label,
                    "title": activity.title,
                    "start": activity.start_time.strftime("%H:%M") if activity.start_time else "",
                    "end": activity.end_time.strftime("%H:%M") if activity.end_time else "",
                }
            )
    return minutes_by_user, errors


@transaction.atomic
def service_activity_record(
    *,
    organizer: Organization,
    recorded_by: User,
    title: str,
    content: str,
    place: str,
    occurred_on: datetime.date,
    school_year: str,
    participants: list[ParticipantInput],
    start_time: datetime.time | None = None,
    end_time: datetime.time | None = None,
    duration_minutes: int | None = None,
) -> ServiceActivity:
    """Record an activity and one pending practice entry per participant; any violation records nothing.

    A school or college records its own students only; the hours count for each participant's school.

    Not idempotent (each call is a new activity); the ledger entries are unique per activity and person.
    """
    if not user_can(recorded_by, "record_practice", organizer):
        raise PermissionDenied(_("You may not record activities for this organisation."))
    errors = _check_activity(
        title=title,
        content=content,
        place=place,
        occurred_on=occurred_on,
        start_time=start_time,
        end_time=end_time,
        school_year=school_year,
        duration_minutes=duration_minutes,
    )
    if not participants:
        errors.append(_("Choose at least one participant."))
    errors.extend(_outsiders(organizer=organizer, participants=participants))
    default_minutes = duration_minutes
    if default_minutes is None and start_time and end_time and end_time > start_time:
        default_minutes = _minutes_between(start_time, end_time)
    # Lock the participants' rows so that two coordinators recording at once cannot both pass the 24-hour check.
    user_ids = sorted({participant.user.pk for participant in participants})
    list(User.objects.select_for_update().filter(pk__in=user_ids).values_list("pk", flat=True))
    minutes_by_user, participant_errors = _check_participants(
        participants=participants,
        occurred_on=occurred_on,
        start_time=start_time,
        end_time=end_time,
        default_minutes=default_minutes,
    )
    errors.extend(participant_errors)
    if errors:
        raise ValidationError(errors)

    activity = ServiceActivity.objects.create(
        organizer=organizer,
        title=title.strip(),
        content=content.strip(),
        place=place.strip(),
        occurred_on=occurred_on,
        start_time=start_time,
        end_time=end_time,
        school_year=school_year,
        recorded_by=recorded_by,
    )
    schools = _schools_of(user_ids=list(minutes_by_user), preferred=organizer)
    for participant in participants:
        user = participant.user
        entry, _created = hours_entry_record(
            user=user,
            kind=HoursKind.PRACTICE,
            minutes=minutes_by_user[user.pk],
            occurred_on=occurred_on,
            source_key=f"practice:{activity.pk}:{user.pk}",
            credited_organization=schools.get(user.pk),
            recorded_by_organization=organizer,
            recorded_by=recorded_by,
            description=activity.title,
        )
        ServiceParticipation.objects.create(
            activity=activity, user=user, minutes=minutes_by_user[user.pk], hours_entry=entry
        )
    return activity


def _outsiders(*, organizer: Organization, participants: list[ParticipantInput]) -> list[str]:
    """One message per participant a school or college may not record: anyone who is not its student."""
    if not admits_only_students(organizer):
        return []
    students = students_among(organizer=organizer, user_ids={participant.user.pk for participant in participants})
    return [
        not_a_student_message(
            who=_label(participant), volunteer_number=participant.user.volunteer_number, organizer=organizer
        )
        for participant in participants
        if participant.user.pk not in students
    ]


def _schools_of(*, user_ids: list[int], preferred: Organization) -> dict[int, Organization]:
    """The school whose requirement each participant's hours count toward: the organiser if they study there."""
    schools: dict[int, Organization] = {}
    profiles = (
        StudentProfile.objects.filter(user_id__in=user_ids).select_related("organization").order_by("-created_at")
    )
    for profile in profiles:
        if profile.organization_id == preferred.pk or profile.user_id not in schools:
            schools[profile.user_id] = profile.organization
    return schools


@transaction.atomic
def service_activity_verify(*, activity: ServiceActivity, verifier: User) -> int:
    """Verify every pending entry of the activity (谁记录谁证明: the organiser's coordinators only). Idempotent."""
    if not user_can(verifier, "verify_practice", activity.organizer):
        raise PermissionDenied(_("Only the organisation that recorded this service may verify it."))
    entries = HoursEntry.objects.filter(
        service_participation__activity=activity, status=HoursStatus.PENDING
    ).select_related("recorded_by_organization")
    count = 0
    for entry in entries:
        hours_entry_verify(entry=entry, verifier=verifier)
        count += 1
    return count


@transaction.atomic
def service_participation_reject(*, participation: ServiceParticipation, verifier: User, reason: str) -> HoursEntry:
    """Reject one participant's hours with a reason (the organiser only). Idempotent."""
    if participation.hours_entry is None:
        raise ValidationError(_("These hours are not in the ledger."))
    return hours_entry_reject(entry=participation.hours_entry, verifier=verifier, reason=reason)
