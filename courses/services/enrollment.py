"""Enrolment: self-enrolment into published courses, group enrolment by a coordinator, withdrawing."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.constants import Role
from accounts.models import Membership, Organization, User
from accounts.permissions import user_can
from content.models import CoursePage
from courses.models import Enrollment, EnrollmentStatus
from courses.selectors.learners import missing_prerequisites


def _check_enrollable(*, user: User, course: CoursePage) -> None:
    if not course.live:
        raise ValidationError(_("This course is not published, so nobody can enrol in it."), code="not_live")
    missing = missing_prerequisites(user=user, course=course)
    if missing:
        raise ValidationError(
            _("Complete the prerequisite course first: %(courses)s.")
            % {"courses": "、".join(f"《{prerequisite.title}》" for prerequisite in missing)},
            code="prerequisites",
        )


def _current_enrollment(*, user: User, course: CoursePage) -> Enrollment | None:
    return (
        Enrollment.objects.filter(
            user=user, course=course, status__in=[EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED]
        )
        .order_by("-pk")
        .first()
    )


@transaction.atomic
def enrollment_create(*, user: User, course: CoursePage, enrolled_by: User | None = None) -> tuple[Enrollment, bool]:
    """Enrol the learner; returns (enrollment, created). Idempotent: a current enrolment is returned as it is."""
    current = _current_enrollment(user=user, course=course)
    if current is not None:
        return current, False
    _check_enrollable(user=user, course=course)
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                user=user,
                course=course,
                enrolled_at=timezone.now(),
                enrolled_by=enrolled_by if enrolled_by is not None and enrolled_by.pk != user.pk else None,
            )
    except IntegrityError:
        # A concurrent request enrolled the learner first (the partial unique constraint decided).
        return _current_enrollment(user=user, course=course), False  # type: ignore[return-value]
    return enrollment, True


@transaction.atomic
def enrollment_withdraw(*, enrollment: Enrollment, user: User) -> Enrollment:
    """The learner leaves a course in progress; the row and the lesson progress stay. Idempotent."""
    if enrollment.user_id != user.pk:
        raise PermissionDenied(_("Only the learner may withdraw from their own course."))
    locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if locked.status == EnrollmentStatus.WITHDRAWN:
        return locked
    if locked.status == EnrollmentStatus.COMPLETED:
        raise ValidationError(_("A completed course stays on your record; you cannot withdraw from it."))
    locked.status = EnrollmentStatus.WITHDRAWN
    locked.withdrawn_at = timezone.now()
    locked.save(update_fields=["status", "withdrawn_at"])
    return locked


@transaction.atomic
def enrollment_create_for_students(
    *, coordinator: User, organization: Organization, course: CoursePage, students: Iterable[User]
) -> list[tuple[Enrollment, bool]]:
    """Enrol a group of the organisation's students. Checks every student first and enrols nobody when one fails.
    Idempotent: students already enrolled keep their enrolment."""
    if not user_can(coordinator, "manage_students", organization):
        raise PermissionDenied(_("You may not manage the students of this organisation."))
    students = list(students)
    if not students:
        raise ValidationError(_("Choose at least one student."), code="empty")
    if not course.live:
        raise ValidationError(_("This course is not published, so nobody can enrol in it."), code="not_live")
    member_ids = set(
        Membership.objects.filter(
            organization=organization, role=Role.LEARNER, user_id__in=[student.pk for student in students]
        ).values_list("user_id", flat=True)
    )
    errors = []
    for student in students:
        if student.pk not in member_ids:
            errors.append(
                _("%(student)s is not a student of %(organization)s.")
                % {"student": student.display_name, "organization": organization.name}
            )
            continue
        if _current_enrollment(user=student, course=course) is not None:
            continue
        missing = missing_prerequisites(user=student, course=course)
        if missing:
            errors.append(
                _("%(student)s has not completed the prerequisite course %(courses)s.")
                % {
                    "student": student.display_name,
                    "courses": "、".join(f"《{prerequisite.title}》" for prerequisite in missing),
                }
            )
    if errors:
        raise ValidationError(errors, code="students")
    return [enrollment_create(user=student, course=course, enrolled_by=coordinator) for student in students]
