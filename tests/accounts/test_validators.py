import pytest
from django.core.exceptions import ValidationError

from accounts.validators import (
    mask_name,
    mask_phone,
    mask_resident_id,
    resident_id_check_char,
    validate_phone,
    validate_resident_id,
)

VALID_ID = "11010519491231002X"  # the textbook GB 11643 example


def test_check_char_of_textbook_example_is_x():
    assert resident_id_check_char(VALID_ID[:17]) == "X"


def test_valid_resident_id_passes():
    validate_resident_id(VALID_ID)
    validate_resident_id(VALID_ID.lower())


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("110105194912310021", "id_checksum"),
        ("11010519491231002", "id_format"),
        ("1101051949123100AX", "id_format"),
        ("110105194913310025", "id_birth_date"),
    ],
)
def test_bad_resident_ids_are_rejected_with_a_specific_code(value, code):
    # 110105194913310025: month 13, check digit made valid so that only the birth date is wrong
    if code == "id_birth_date":
        value = value[:17] + resident_id_check_char(value[:17])
    with pytest.raises(ValidationError) as error:
        validate_resident_id(value)
    assert error.value.code == code


def test_phone_validation():
    validate_phone("13800138000")
    for bad in ["12800138000", "1380013800", "+8613800138000", "abc"]:
        with pytest.raises(ValidationError):
            validate_phone(bad)


def test_masks_hide_the_middle():
    assert mask_resident_id(VALID_ID) == "1101**********002X"
    assert mask_name("张三丰") == "张*丰"
    assert mask_name("张三") == "张*"
    assert mask_name("Alice Smith") == "A**** S****"
    assert mask_phone("13800138000") == "138****8000"
    assert mask_resident_id(None) == ""
