"""PATCH /api/v1/me/ checks personal data exactly as sign-up and the roster import do (one validator)."""

import datetime

import pytest
from django.utils import timezone

from tests.lms.api_helpers import fresh_throttles, token_client  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


def test_a_valid_change_is_saved_and_fields_left_out_keep_their_value(cast):
    cast.learner.phone = "13800138000"
    cast.learner.save()
    response = token_client(cast.learner).patch("/api/v1/me/", {"real_name": "王小明"}, format="json")
    assert response.status_code == 200, response.json()
    cast.learner.refresh_from_db()
    assert cast.learner.real_name == "王小明" and cast.learner.phone == "13800138000"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"phone": "12345"}, "phone"),
        ({"date_of_birth": "1850-01-01"}, "date_of_birth"),  # the year check sign-up lacked
        ({"resident_id": "110105194912310021"}, "resident_id"),  # wrong check digit
    ],
)
def test_bad_personal_data_is_refused_by_field_and_changes_nothing(cast, payload, field):
    before = cast.learner.real_name
    response = token_client(cast.learner).patch("/api/v1/me/", {**payload, "real_name": "改了"}, format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"], response.json()
    cast.learner.refresh_from_db()
    assert cast.learner.real_name == before


def test_the_minimum_age_applies_as_at_sign_up(cast):
    too_young = timezone.localdate() - datetime.timedelta(days=365 * 4)
    response = token_client(cast.learner).patch("/api/v1/me/", {"date_of_birth": too_young.isoformat()}, format="json")
    assert response.status_code == 400 and "date_of_birth" in response.json()["fields"]


def test_anonymous_callers_cannot_patch():
    from rest_framework.test import APIClient

    assert APIClient().patch("/api/v1/me/", {"real_name": "x"}, format="json").status_code in (401, 403)
