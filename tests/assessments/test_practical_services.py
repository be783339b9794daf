import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.constants import Role
from accounts.permissions import user_can
from accounts.services import membership_add
from assessments.models import PracticalAssessment
from assessments.services import practical_assessment_record
from tests.assessments.factories import RubricFactory
from tests.factories import UserFactory


@pytest.fixture
def assessor(cast):
    user = UserFactory(username="assessor_x")
    membership_add(user=user, organization=cast.base_x, role=Role.ASSESSOR)
    return user


ALL_PASS = {"scene": True, "call": True, "compressions": True, "aed": True}


def test_assessor_records_result_and_learner_sees_it(cast, assessor):
    rubric = RubricFactory(organization=cast.base_x)
    record = practical_assessment_record(
        rubric=rubric,
        learner=cast.learner,
        assessor=assessor,
        assessed_on=timezone.localdate(),
        place="X 基地实训室",
        results={**ALL_PASS, "aed": False},
        notes="AED 贴片位置需加强",
    )
    assert record.passed is True  # the AED item is optional under all_required
    assert record.results.count() == 4
    assert user_can(cast.learner, "view", record)
    assert user_can(assessor, "assess_learners", record)
    assert not user_can(cast.outsider, "view", record)
    assert not user_can(cast.coordinator_b, "view", record)


def test_a_failed_required_item_fails_the_assessment(cast, assessor):
    rubric = RubricFactory(organization=cast.base_x)
    record = practical_assessment_record(
        rubric=rubric,
        learner=cast.learner,
        assessor=assessor,
        assessed_on=timezone.localdate(),
        place="实训室",
        results={**ALL_PASS, "call": False},
    )
    assert record.passed is False


@pytest.mark.parametrize("who", ["outsider", "editor_x", "learner"])
def test_only_assessors_of_the_owner_may_record(cast, who):
    rubric = RubricFactory(organization=cast.base_x)
    with pytest.raises(PermissionDenied):
        practical_assessment_record(
            rubric=rubric,
            learner=cast.coordinator_a,
            assessor=getattr(cast, who),
            assessed_on=timezone.localdate(),
            place="实训室",
            results=ALL_PASS,
        )
    assert not PracticalAssessment.objects.exists()


def test_every_item_needs_a_result_and_the_date_is_not_in_the_future(cast, assessor):
    rubric = RubricFactory(organization=cast.base_x)
    with pytest.raises(ValidationError, match="确认现场环境安全"):
        practical_assessment_record(
            rubric=rubric,
            learner=cast.learner,
            assessor=assessor,
            assessed_on=timezone.localdate(),
            place="实训室",
            results={"call": True, "compressions": True, "aed": True},
        )
    with pytest.raises(ValidationError):
        practical_assessment_record(
            rubric=rubric,
            learner=cast.learner,
            assessor=assessor,
            assessed_on=timezone.localdate() + datetime.timedelta(days=1),
            place="实训室",
            results=ALL_PASS,
        )
    assert not PracticalAssessment.objects.exists()
