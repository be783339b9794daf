import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.constants import Role
from accounts.services import membership_add
from courses.models import Enrollment, EnrollmentStatus
from courses.services.enrollment import enrollment_create, enrollment_create_for_students, enrollment_withdraw
from tests.courses.factories import learning_course, sibling_course
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_self_enrolment_is_idempotent(cast):
    course = learning_course(cast.base_x).course
    first, created = enrollment_create(user=cast.learner, course=course)
    again, created_again = enrollment_create(user=cast.learner, course=course)
    assert created and not created_again and again.pk == first.pk
    assert first.status == EnrollmentStatus.ACTIVE and first.enrolled_by is None


def test_an_unpublished_course_cannot_be_enrolled(cast):
    course = learning_course(cast.base_x).course
    course.unpublish()
    course.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        enrollment_create(user=cast.learner, course=course)
    assert error.value.code == "not_live"
    assert not Enrollment.objects.exists()


def test_a_missing_prerequisite_is_named(cast):
    first = learning_course(cast.base_x, title="志愿服务概论")
    second = sibling_course(first.curriculum, title="应急救护")
    second.prerequisites.add(first.course)
    second.save_revision().publish()
    with pytest.raises(ValidationError) as error:
        enrollment_create(user=cast.learner, course=second)
    assert "《志愿服务概论》" in error.value.messages[0]
    assert not Enrollment.objects.filter(course=second).exists()


def test_withdrawing_keeps_the_history_and_enrolling_again_starts_a_new_row(cast):
    course = learning_course(cast.base_x).course
    enrollment, _ = enrollment_create(user=cast.learner, course=course)
    withdrawn = enrollment_withdraw(enrollment=enrollment, user=cast.learner)
    assert withdrawn.status == EnrollmentStatus.WITHDRAWN and withdrawn.withdrawn_at is not None
    assert enrollment_withdraw(enrollment=enrollment, user=cast.learner).withdrawn_at == withdrawn.withdrawn_at
    again, created = enrollment_create(user=cast.learner, course=course)
    assert created and again.pk != enrollment.pk
    assert list(Enrollment.objects.filter(user=cast.learner).order_by("pk").values_list("status", flat=True)) == [
        "withdrawn",
        "active",
    ]


def test_only_the_learner_may_withdraw(cast):
    course = learning_course(cast.base_x).course
    enrollment, _ = enrollment_create(user=cast.learner, course=course)
    with pytest.raises(PermissionDenied):
        enrollment_withdraw(enrollment=enrollment, user=cast.outsider)
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.ACTIVE


def test_the_database_refuses_two_current_enrolments(cast):
    course = learning_course(cast.base_x).course
    enrollment_create(user=cast.learner, course=course)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(user=cast.learner, course=course, enrolled_at=timezone.now())


def test_a_coordinator_enrols_a_group_of_their_students(cast):
    course = learning_course(cast.base_x).course
    classmate = UserFactory()
    membership_add(user=classmate, organization=cast.school_a, role=Role.LEARNER)
    enrollment_create(user=cast.learner, course=course)
    results = enrollment_create_for_students(
        coordinator=cast.coordinator_a, organization=cast.school_a, course=course, students=[cast.learner, classmate]
    )
    assert [created for _enrollment, created in results] == [False, True]
    assert Enrollment.objects.get(user=classmate).enrolled_by == cast.coordinator_a


@pytest.mark.parametrize("who", ["coordinator_b", "outsider", "learner", "editor_x"])
def test_group_enrolment_needs_manage_students_on_the_organisation(cast, who):
    course = learning_course(cast.base_x).course
    with pytest.raises(PermissionDenied):
        enrollment_create_for_students(
            coordinator=getattr(cast, who), organization=cast.school_a, course=course, students=[cast.learner]
        )
    assert not Enrollment.objects.exists()


def test_group_enrolment_checks_every_student_first_and_enrols_nobody_on_an_error(cast):
    first = learning_course(cast.base_x, title="志愿服务概论")
    second = sibling_course(first.curriculum, title="应急救护")
    second.prerequisites.add(first.course)
    second.save_revision().publish()
    classmate = UserFactory(real_name="王同学")
    membership_add(user=classmate, organization=cast.school_a, role=Role.LEARNER)
    with pytest.raises(ValidationError) as error:
        enrollment_create_for_students(
            coordinator=cast.coordinator_a,
            organization=cast.school_a,
            course=second,
            students=[classmate, cast.outsider],
        )
    messages = error.value.messages
    assert any("王同学" in message and "《志愿服务概论》" in message for message in messages)
    assert any(cast.outsider.display_name in message for message in messages)
    assert not Enrollment.objects.exists()
