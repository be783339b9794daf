import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.models import User
from accounts.services import user_register
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
VALID_ID = "11010519491231002X"


def register(**overrides):
    data = {"username": "newbie", "password": "Volunteer-2026!", "real_name": "王小二", "phone": "13912345678"}
    data.update(overrides)
    return user_register(**data)


def test_registration_creates_a_user_with_a_volunteer_number():
    user = register(resident_id=VALID_ID.lower())
    assert user.volunteer_number.startswith("ZY") and len(user.volunteer_number) == 14
    # The ID and mobile numbers wait until the account is confirmed (tests/accounts/test_signup_verification.py).
    assert user.pending_resident_id == VALID_ID and user.resident_id is None
    assert user.pending_phone == "13912345678" and user.phone is None
    assert not user.identity_verified
    assert user.date_of_birth == datetime.date(1949, 12, 31)  # taken from the ID number
    assert user.check_password("Volunteer-2026!")


def test_volunteer_numbers_are_unique():
    numbers = {register(username=f"u{i}", phone=None, email=f"u{i}@example.cn").volunteer_number for i in range(20)}
    assert len(numbers) == 20


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"real_name": "  "}, "real_name"),
        ({"resident_id": "110105194912310021"}, "resident_id"),
        ({"phone": "123"}, "phone"),
        ({"date_of_birth": datetime.date.today() - datetime.timedelta(days=365 * 5)}, "date_of_birth"),
        ({"date_of_birth": datetime.date.today() + datetime.timedelta(days=1)}, "date_of_birth"),
        ({"date_of_birth": datetime.date.today() - datetime.timedelta(days=365 * 12)}, "guardian_consent"),
        ({"password": "123"}, "password"),
        ({"username": ""}, "username"),
    ],
)
def test_bad_input_names_the_field_and_creates_nothing(overrides, field):
    with pytest.raises(ValidationError) as error:
        register(**overrides)
    assert field in error.value.message_dict
    assert User.objects.count() == 0


def test_a_registered_phone_is_not_revealed_and_stays_its_owners():
    owner = UserFactory(phone="13912345678")
    user = register()
    assert user.pending_phone == "13912345678" and user.phone is None
    owner.refresh_from_db()
    assert owner.phone == "13912345678"


def test_an_account_needs_a_phone_or_an_email_to_confirm():
    with pytest.raises(ValidationError) as error:
        register(phone=None, email="")
    assert "phone" in error.value.message_dict
    assert User.objects.count() == 0


def test_minor_with_guardian_consent_is_accepted():
    birth = datetime.date.today().replace(year=datetime.date.today().year - 12, day=1)
    user = register(date_of_birth=birth, guardian_consent=True, guardian_name="王大", guardian_phone="13700001111")
    assert user.is_minor and not user.needs_guardian_consent


def test_date_of_birth_must_match_the_id_number():
    with pytest.raises(ValidationError) as error:
        register(resident_id=VALID_ID, date_of_birth=datetime.date(1950, 1, 1))
    assert "date_of_birth" in error.value.message_dict


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", "校验码"), ("en", "check digit")],
)
def test_messages_are_translated(language, expected):
    with translation.override(language), pytest.raises(ValidationError) as error:
        register(resident_id="110105194912310021")
    assert expected in " ".join(error.value.message_dict["resident_id"])
