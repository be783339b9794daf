"""Validators for Chinese identity data: resident ID numbers (GB 11643) and mobile phone numbers."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.constants import ADULT_AGE, MINIMUM_AGE
from core.dates import age_on, is_possible_birth_date

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK_CHARS = "10X98765432"
_ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
_PHONE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


def normalize_resident_id(value: str) -> str:
    return value.strip().upper().replace(" ", "")


def resident_id_check_char(first_seventeen: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first_seventeen, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def resident_id_birth_date(value: str) -> datetime.date | None:
    try:
        return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def validate_resident_id(value: str) -> None:
    normalized = normalize_resident_id(value)
    if not _ID_PATTERN.match(normalized):
        raise ValidationError(
            _("A resident ID number has 18 characters: 17 digits and a final digit or X."), code="id_format"
        )
    if resident_id_check_char(normalized[:17]) != normalized[17]:
        raise ValidationError(
            _("The resident ID number's check digit is wrong; please check the number."), code="id_checksum"
        )
    birth = resident_id_birth_date(normalized)
    if birth is None or not is_possible_birth_date(birth, datetime.date.today()):
        raise ValidationError(_("The resident ID number contains an impossible birth date."), code="id_birth_date")


def validate_phone(value: str) -> None:
    if not _PHONE_PATTERN.match(value.strip()):
        raise ValidationError(_("Enter an 11-digit mainland China mobile number, e.g. 13800138000."), code="phone")


def mask_resident_id(value: str | None) -> str:
    """Show only the first four and last four characters: 4101**********123X."""
    if not value:
        return ""
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_email(value: str | None) -> str:
    """volunteer@example.cn -> v***@example.cn."""
    if not value or "@" not in value:
        return ""
    local, domain = value.rsplit("@", 1)
    return f"{local[:1]}***@{domain}"


def mask_name(value: str) -> str:
    """张三丰 -> 张*丰, 张三 -> 张*, Alice Smith -> A**** S****."""
    if not value:
        return ""
    if value.isascii():
        return " ".join(part[:1] + "*" * (len(part) - 1) for part in value.split())
    if len(value) == 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    return value[:3] + "****" + value[-4:]


def personal_data_check(
    *,
    real_name: str,
    phone: str | None,
    resident_id: str | None,
    date_of_birth: datetime.date | None,
    guardian_consent: bool = False,
    guardian_name: str = "",
    guardian_phone: str = "",
    guardian_required: bool = True,
    today: datetime.date | None = None,
) -> tuple[dict[str, object], dict[str, list[str]]]:
    """The one check of a person's data (docs/domain.md), for sign-up, the profile, the roster import and the API.

    Returns the cleaned values and the problems by field; reads nothing from the database (callers that need
    uniqueness check it in their own way: one query per form, or one per file). The rules: a real name; a valid
    mobile number; a valid resident ID whose birth date agrees with the date of birth given (and supplies it when
    none is); a possible date of birth (not in the future, not before 1900) and at least the minimum age; under 18,
    the guardian's consent, name and mobile number when `guardian_required` (the roster import records minors whose
    guardian confirms later, so it passes False), and a valid guardian number whenever one is given."""
    errors: dict[str, list[str]] = {}
    today = today or datetime.date.today()
    real_name = (real_name or "").strip()
    if not real_name:
        errors.setdefault("real_name", []).append(str(_("Please enter your real name.")))
    elif len(real_name) > 64:
        errors.setdefault("real_name", []).append(str(_("The name is longer than 64 characters.")))
    phone = (phone or "").strip() or None
    if phone:
        try:
            validate_phone(phone)
        except ValidationError as error:
            errors.setdefault("phone", []).extend(error.messages)
    resident_id = normalize_resident_id(resident_id) if resident_id else None
    if resident_id:
        try:
            validate_resident_id(resident_id)
        except ValidationError as error:
            errors.setdefault("resident_id", []).extend(error.messages)
        else:
            id_birth = resident_id_birth_date(resident_id)
            if date_of_birth is None:
                date_of_birth = id_birth
            elif id_birth is not None and id_birth != date_of_birth:
                errors.setdefault("date_of_birth", []).append(
                    str(_("The date of birth does not match the resident ID number."))
                )
    guardian_name = (guardian_name or "").strip()
    guardian_phone = (guardian_phone or "").strip()
    if guardian_phone:
        try:
            validate_phone(guardian_phone)
        except ValidationError as error:
            errors.setdefault("guardian_phone", []).extend(error.messages)
    minor = False
    if date_of_birth is not None:
        if date_of_birth > today:
            errors.setdefault("date_of_birth", []).append(str(_("The date of birth cannot be in the future.")))
        elif not is_possible_birth_date(date_of_birth, today):
            errors.setdefault("date_of_birth", []).append(
                str(_("The date of birth %(value)s is impossible.") % {"value": date_of_birth.isoformat()})
            )
        else:
            age = age_on(date_of_birth, today)
            minor = age < ADULT_AGE
            if age < MINIMUM_AGE:
                errors.setdefault("date_of_birth", []).append(
                    str(_("Volunteers must be at least %(age)d years old.") % {"age": MINIMUM_AGE})
                )
            elif minor and guardian_required:
                if not guardian_consent:
                    errors.setdefault("guardian_consent", []).append(
                        str(_("Volunteers under 18 need their guardian's consent."))
                    )
                if not guardian_name:
                    errors.setdefault("guardian_name", []).append(str(_("Please enter the guardian's name.")))
                if not guardian_phone:
                    errors.setdefault("guardian_phone", []).append(str(_("Please enter the guardian's mobile number.")))
    cleaned: dict[str, object] = {
        "real_name": real_name,
        "phone": phone,
        "resident_id": resident_id,
        "date_of_birth": date_of_birth,
        "guardian_consent": bool(guardian_consent),
        "guardian_name": guardian_name,
        "guardian_phone": guardian_phone,
        "minor": minor,
    }
    return cleaned, errors
