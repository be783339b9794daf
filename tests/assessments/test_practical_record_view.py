"""The assessor's page for recording a practical assessment: per-item results, learner by volunteer number,
clear errors that change nothing, and 404 for anyone who does not assess for the rubric's organisation."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from accounts.services import membership_add
from assessments.models import PracticalAssessment
from tests.assessments.factories import RubricFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rubric(cast):
    return RubricFactory(organization=cast.base_x)


@pytest.fixture
def assessor(cast):
    user = UserFactory(username="assessor")
    membership_add(user=user, organization=cast.base_x, role=Role.ASSESSOR)
    return user


def _post(cast, **overrides):
    data = {
        "volunteer_number": cast.learner.volunteer_number,
        "assessed_on": timezone.localdate().isoformat(),
        "place": "实训室",
        "item_scene": "1",
        "item_call": "1",
        "item_compressions": "1",
        "item_aed": "0",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_an_assessor_records_a_passed_sitting(cast, client_for, assessor, rubric):
    client = client_for(assessor)
    assert rubric.title in client.get(reverse("assessments:practical_record_choose")).content.decode()
    response = client.post(reverse("assessments:practical_record", args=[rubric.pk]), _post(cast))
    assert response.status_code == 302
    assessment = PracticalAssessment.objects.get()
    assert (assessment.learner, assessment.assessor, assessment.passed) == (cast.learner, assessor, True)
    assert dict(assessment.results.values_list("item__key", "passed"))["aed"] is False


def test_missing_item_and_unknown_number_are_reported_and_nothing_is_recorded(cast, client_for, assessor, rubric):
    client = client_for(assessor)
    data = _post(cast, volunteer_number="ZY000000000000")
    del data["item_call"]
    response = client.post(reverse("assessments:practical_record", args=[rubric.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "ZY000000000000" in page  # the unknown number is named
    assert page.count('class="error" role="alert"') == 2  # and the item without a result
    future = _post(cast, assessed_on="2999-01-01")
    assert client.post(reverse("assessments:practical_record", args=[rubric.pk]), future).status_code == 400
    assert not PracticalAssessment.objects.exists()


def test_outsiders_and_other_roles_get_404(cast, client_for, rubric):
    for user in (cast.outsider, cast.learner, cast.editor_x, cast.coordinator_a):
        client = client_for(user)
        assert client.get(reverse("assessments:practical_record_choose")).status_code == 404
        assert client.get(reverse("assessments:practical_record", args=[rubric.pk])).status_code == 404
        assert client.post(reverse("assessments:practical_record", args=[rubric.pk]), _post(cast)).status_code == 404
    assert not PracticalAssessment.objects.exists()
