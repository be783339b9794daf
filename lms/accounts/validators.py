"""Validators for Chinese identity data: resident ID numbers (GB 11643) and mobile phone numbers."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

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
    if birth is None or birth > datetime.date.today() or birth.year < 1900:
        raise ValidationError(_("The resident ID number contains an impossible birth date."), code="id_birth_date")


def validate_phone(value: str) -> None:
    if not _PHONE_PATTERN.match(value.strip()):
        raise ValidationError(_("Enter an 11-digit mainland China mobile number, e.g. 13800138000."), code="phone")


def mask_resident_id(value: str | None) -> str:
    """Show only the first four and last four characters: 4101**********123X."""
    if not value:
        return ""
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


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
