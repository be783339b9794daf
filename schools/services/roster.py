"""Roster import: validate every row first, preview, confirm atomically; re-importing the same file adds nothing."""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.constants import Role
from accounts.models import Organization, User, generate_volunteer_number
from accounts.services import memberships_bulk_add
from accounts.validators import normalize_resident_id, personal_data_check
from core.spreadsheets import SpreadsheetError, read_table
from schools.models import RosterImport, SchoolClass, StudentProfile

# Canonical column -> the header shown in the template (Chinese, as schools use it).
ROSTER_COLUMNS: dict[str, str] = {
    "student_number": "学号",
    "name": "姓名",
    "class": "班级",
    "grade": "年级",
    "resident_id": "身份证号",
    "date_of_birth": "出生日期",
    "phone": "手机号",
    "guardian_name": "监护人姓名",
    "guardian_phone": "监护人手机号",
    "email": "电子邮箱",
}
ROSTER_ALIASES: dict[str, str] = {
    **{name: name for name in ROSTER_COLUMNS},
    **{header: name for name, header in ROSTER_COLUMNS.items()},
    "real_name": "name",
    "student number": "student_number",
    "school_class": "class",
    "身份证号码": "resident_id",
    "手机": "phone",
    "监护人电话": "guardian_phone",
}
ROSTER_REQUIRED = ("student_number", "name")
ROSTER_EXAMPLE_ROWS = [
    ["20260101", "王小明", "初一(1)班", "七年级", "", "2014-03-15", "", "王建国", "13900139000", ""],
    ["20260102", "李小红", "初一(1)班", "七年级", "", "2013-11-02", "", "李华", "13900139001", ""],
]
ACTIVATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read off paper
_DATE_PATTERN = re.compile(r"^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?(?:[ T].*)?$")
_USERNAME_UNSAFE = re.compile(r"[^\w.@+-]")


# ---------------------------------------------------------------------------------------------------------------
# Roster validation
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class RosterRow:
    """One data row after validation: `status` is "new", "unchanged" or "error"."""

    row: int
    data: dict[str, str]
    errors: list[str] = field(default_factory=list)
    status: str = "new"
    minor: bool = False
    existing_name: str = ""

    @property
    def is_valid(self) -> bool:
        return not self.errors


@dataclass
class RosterValidation:
    rows: list[RosterRow]

    @property
    def new_rows(self) -> list[RosterRow]:
        return [row for row in self.rows if row.is_valid and row.status == "new"]

    @property
    def unchanged_rows(self) -> list[RosterRow]:
        return [row for row in self.rows if row.is_valid and row.status == "unchanged"]

    @property
    def error_rows(self) -> list[RosterRow]:
        return [row for row in self.rows if not row.is_valid]

    def error_report(self) -> list[dict[str, object]]:
        return [
            {"row": row.row, "student_number": row.data.get("student_number", ""), "messages": row.errors}
            for row in self.error_rows
        ]


def parse_date(text: str) -> datetime.date | None:
    """2014-03-15, 2014/3/15, 20140315 or 2014年3月15日; ValueError for an impossible date."""
    match = _DATE_PATTERN.match(text.strip())
    if not match:
        raise ValueError(text)
    return datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))


def roster_validate(
    *, organization: Organization, rows: list[dict[str, str]], row_numbers: list[int]
) -> RosterValidation:
    """Check every row against the file and the school; reads only (a fixed handful of queries)."""
    today = timezone.localdate()
    numbers = [row.get("student_number", "").strip() for row in rows]
    existing = {
        profile.student_number: profile
        for profile in StudentProfile.objects.filter(organization=organization, student_number__in=numbers)
        .select_related("user")
        .only("student_number", "user__real_name", "user__username")
    }
    classes = {
        school_class.name: school_class for school_class in SchoolClass.objects.filter(organization=organization)
    }
    ids = {normalize_resident_id(row.get("resident_id", "")) for row in rows if row.get("resident_id", "").strip()}
    phones = {row.get("phone", "").strip() for row in rows if row.get("phone", "").strip()}
    taken_ids = dict(User.objects.filter(resident_id__in=ids).values_list("resident_id", "pk")) if ids else {}
    taken_phones = dict(User.objects.filter(phone__in=phones).values_list("phone", "pk")) if phones else {}

    first_seen: dict[str, list[int]] = {}
    first_id_seen: dict[str, list[int]] = {}
    for number, row, row_number in zip(numbers, rows, row_numbers, strict=True):
        if number:
            first_seen.setdefault(number, []).append(row_number)
        resident_id = normalize_resident_id(row.get("resident_id", ""))
        if resident_id:
            first_id_seen.setdefault(resident_id, []).append(row_number)

    results: list[RosterRow] = []
    for row, row_number in zip(rows, row_numbers, strict=True):
        data = {name: (row.get(name) or "").strip() for name in ROSTER_COLUMNS}
        result = RosterRow(row=row_number, data=data)
        errors = result.errors
        number, name = data["student_number"], data["name"]
        if not number:
            errors.append(_("The student number is missing."))
        elif len(number) > 32:
            errors.append(_("The student number is longer than 32 characters."))
        if not name:
            errors.append(_("The name is missing."))
        elif len(name) > 64:
            errors.append(_("The name is longer than 64 characters."))
        if number and len(first_seen.get(number, [])) > 1:
            others = [str(other) for other in first_seen[number] if other != row_number]
            errors.append(
                _("Student number %(number)s appears more than once in the file (also on row %(rows)s).")
                % {"number": number, "rows": ", ".join(others)}
            )
        profile = existing.get(number)
        if profile is not None:
            if profile.user.real_name == name:
                result.status = "unchanged"
                result.existing_name = profile.user.real_name
            else:
                errors.append(
                    _("Student number %(number)s is already used in this school by %(name)s.")
                    % {"number": number, "name": profile.user.real_name}
                )
        if data["class"] and data["class"] not in classes:
            errors.append(
                _("Unknown class “%(class)s”; add the class first or correct the name.") % {"class": data["class"]}
            )
        if data["class"] in classes and not data["grade"]:
            data["grade"] = classes[data["class"]].grade
        birth: datetime.date | None = None
        birth_readable = True
        if data["date_of_birth"]:
            try:
                birth = parse_date(data["date_of_birth"])
            except ValueError:
                birth_readable = False
                errors.append(
                    _("The date of birth “%(value)s” is not a real date (use YYYY-MM-DD).")
                    % {"value": data["date_of_birth"]}
                )
        # The same rules as sign-up (the guardian confirms later, so it is not required here).
        cleaned, problems = personal_data_check(
            real_name=name or "-",  # a missing name is reported above, with the roster's wording
            phone=data["phone"],
            resident_id=data["resident_id"],
            date_of_birth=birth,
            guardian_phone=data["guardian_phone"],
            guardian_required=False,
            today=today,
        )
        for column in ("date_of_birth", "resident_id", "phone", "guardian_phone"):
            errors.extend(str(message) for message in problems.get(column, []))
        if cleaned["resident_id"]:
            data["resident_id"] = str(cleaned["resident_id"])
            if "resident_id" not in problems:
                if taken_ids.get(data["resident_id"]) is not None and result.status != "unchanged":
                    errors.append(_("This resident ID number is already registered to another account."))
                if len(first_id_seen.get(data["resident_id"], [])) > 1:
                    errors.append(_("This resident ID number appears more than once in the file."))
        if data["phone"] and "phone" not in problems and data["phone"] in taken_phones and result.status != "unchanged":
            errors.append(_("This mobile number is already registered to another account."))
        checked_birth = cleaned["date_of_birth"]
        readable = birth_readable and "date_of_birth" not in problems
        birth = checked_birth if readable and isinstance(checked_birth, datetime.date) else None
        if birth is not None:
            data["date_of_birth"] = birth.isoformat()
            result.minor = bool(cleaned["minor"])
        if errors:
            result.status = "error"
        results.append(result)
    return RosterValidation(rows=results)


def _read_roster(data: bytes, file_name: str) -> tuple[list[dict[str, str]], list[int]]:
    try:
        table = read_table(data, file_name=file_name, aliases=ROSTER_ALIASES, required=ROSTER_REQUIRED)
    except SpreadsheetError as error:
        raise ValidationError(error.message)
    if not table.rows:
        raise ValidationError(_("The file has a header row but no students."))
    return table.rows, table.row_numbers


def roster_file_validate(*, organization: Organization, data: bytes, file_name: str) -> RosterValidation:
    """Parse and validate a roster file without writing anything (the --dry-run of import_roster)."""
    rows, numbers = _read_roster(data, file_name)
    return roster_validate(organization=organization, rows=rows, row_numbers=numbers)


# ---------------------------------------------------------------------------------------------------------------
# Roster import: preview, then confirm
# ---------------------------------------------------------------------------------------------------------------


@transaction.atomic
def roster_import_preview(
    *, organization: Organization, uploaded_by: User | None, data: bytes, file_name: str
) -> tuple[RosterImport, RosterValidation]:
    """Validate an upload and keep it for confirmation; creates no student. Not idempotent (one record per upload)."""
    validation = roster_file_validate(organization=organization, data=data, file_name=file_name)
    roster_import = RosterImport.objects.create(
        organization=organization,
        uploaded_by=uploaded_by,
        file_name=(file_name or "roster")[:255],
        file_hash=hashlib.sha256(data).hexdigest(),
        total_rows=len(validation.rows),
        valid_rows=len(validation.rows) - len(validation.error_rows),
        error_rows=len(validation.error_rows),
        errors=validation.error_report(),
        pending_rows=[{"row": row.row, **row.data} for row in validation.rows],
    )
    return roster_import, validation


def roster_import_validation(*, roster_import: RosterImport) -> RosterValidation:
    """Re-validate a previewed import against the school as it is now (reads only)."""
    rows = [{key: value for key, value in row.items() if key != "row"} for row in roster_import.pending_rows]
    numbers = [int(row["row"]) for row in roster_import.pending_rows]
    return roster_validate(organization=roster_import.organization, rows=rows, row_numbers=numbers)


def _usernames_for(organization: Organization, student_numbers: list[str]) -> list[str]:
    """One free username per student number (<school slug>-<number>, suffixed on a clash); one query, plus one per
    clash (rare: a student number that was used before)."""
    bases = [_USERNAME_UNSAFE.sub("-", f"{organization.slug}-{number}".lower())[:140] for number in student_numbers]
    taken = set(
        User.objects.annotate(lower_username=Lower("username"))
        .filter(lower_username__in=bases)
        .values_list("lower_username", flat=True)
    )
    usernames = []
    for base in bases:
        candidate, suffix = base, 1
        while candidate in taken or (candidate != base and User.objects.filter(username__iexact=candidate).exists()):
            suffix += 1
            candidate = f"{base}-{suffix}"
        taken.add(candidate)
        usernames.append(candidate)
    return usernames


def activation_code_generate() -> str:
    return "".join(secrets.choice(ACTIVATION_ALPHABET) for _ in range(10))


def _students_bulk_create(
    *, organization: Organization, rows: list[RosterRow], classes: dict[str, SchoolClass], roster_import: RosterImport
) -> list[StudentProfile]:
    """Accounts, learner memberships (with their permissions) and student records for new rows, in bulk.

    A constant number of queries per 1,000 rows; the caller's transaction makes it all or nothing. A clash of
    generated volunteer numbers with an existing account (1 in 10^12 per row) retries the batch with new numbers.
    """
    if not rows:
        return []
    usernames = _usernames_for(organization, [row.data["student_number"] for row in rows])
    for _attempt in range(3):
        numbers: set[str] = set()
        users = []
        for row, username in zip(rows, usernames, strict=True):
            data = row.data
            number = generate_volunteer_number()
            while number in numbers:
                number = generate_volunteer_number()
            numbers.add(number)
            user = User(
                username=username,
                real_name=data["name"],
                email=data["email"],
                phone=data["phone"] or None,
                resident_id=data["resident_id"] or None,
                date_of_birth=datetime.date.fromisoformat(data["date_of_birth"]) if data["date_of_birth"] else None,
                guardian_name=data["guardian_name"],
                guardian_phone=data["guardian_phone"],
                volunteer_number=number,
            )
            # No password until the student activates the account with the code.
            user.set_unusable_password()
            users.append(user)
        try:
            with transaction.atomic():
                User.objects.bulk_create(users, batch_size=1000)
            break
        except IntegrityError as error:
            if "volunteer_number" not in str(error):
                raise
    else:
        raise RuntimeError("Could not generate unique volunteer numbers")
    if any(user.pk is None for user in users):  # databases without RETURNING: fetch the new ids
        ids = dict(User.objects.filter(username__in=usernames).values_list("username", "pk"))
        for user in users:
            user.pk = ids[user.username]
    memberships_bulk_add(users=users, organization=organization, role=Role.LEARNER)
    return StudentProfile.objects.bulk_create(
        [
            StudentProfile(
                user=user,
                organization=organization,
                student_number=row.data["student_number"],
                grade=row.data["grade"],
                school_class=classes.get(row.data["class"]),
                activation_code=activation_code_generate(),
                guardian_consent_required=row.minor,
                roster_import=roster_import,
            )
            for user, row in zip(users, rows, strict=True)
        ],
        batch_size=1000,
    )


@transaction.atomic
def roster_import_confirm(*, roster_import: RosterImport, confirmed_by: User | None) -> RosterImport:
    """Import the valid new rows of a previewed upload, all or nothing. Idempotent: a confirmed import is returned."""
    locked = (
        RosterImport.objects.select_for_update(of=("self",)).select_related("organization").get(pk=roster_import.pk)
    )
    if locked.status != RosterImport.Status.PREVIEWED:
        return locked
    validation = roster_import_validation(roster_import=locked)
    organization = locked.organization
    classes = {
        school_class.name: school_class for school_class in SchoolClass.objects.filter(organization=organization)
    }
    _students_bulk_create(organization=organization, rows=validation.new_rows, classes=classes, roster_import=locked)
    locked.status = RosterImport.Status.IMPORTED
    locked.created_count = len(validation.new_rows)
    locked.unchanged_count = len(validation.unchanged_rows)
    locked.error_rows = len(validation.error_rows)
    locked.valid_rows = len(validation.rows) - len(validation.error_rows)
    locked.errors = validation.error_report()
    locked.pending_rows = []
    locked.confirmed_at = timezone.now()
    if confirmed_by is not None and locked.uploaded_by_id is None:
        locked.uploaded_by = confirmed_by
    locked.save()
    return locked


@transaction.atomic
def roster_import_cancel(*, roster_import: RosterImport) -> RosterImport:
    """Drop a previewed upload (its rows are deleted). Idempotent."""
    if roster_import.status == RosterImport.Status.PREVIEWED:
        roster_import.status = RosterImport.Status.CANCELLED
        roster_import.pending_rows = []
        roster_import.save(update_fields=["status", "pending_rows"])
    return roster_import


def roster_file_import(
    *, organization: Organization, data: bytes, file_name: str, uploaded_by: User | None = None
) -> tuple[RosterImport, RosterValidation]:
    """Preview and confirm in one go (the import_roster command). Re-importing the same file adds nothing."""
    with transaction.atomic():
        roster_import, validation = roster_import_preview(
            organization=organization, uploaded_by=uploaded_by, data=data, file_name=file_name
        )
        roster_import = roster_import_confirm(roster_import=roster_import, confirmed_by=uploaded_by)
    return roster_import, validation
