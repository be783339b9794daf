import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.constants import Role
from accounts.services import membership_add
from assessments.models import Attempt
from assessments.services import attempt_start, attempt_submit, practical_assessment_record
from assessments.signals import attempt_graded
from courses.models import CourseCompletion, EnrollmentStatus, LessonProgress
from courses.services.completion import completion_evaluate, course_complete
from courses.services.progress import lesson_complete, lesson_open
from courses.signals import course_completed
from hours.models import HoursEntry, HoursKind, HoursStatus
from tests.conftest import postgres_only
from tests.courses.factories import enrol, learning_course, pass_quiz, read_all_lessons, wrong_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def completions_sent():
    sent = []

    def receiver(sender, completion, **kwargs):
        sent.append(completion.pk)

    course_completed.connect(receiver, dispatch_uid="test-completions-sent")
    yield sent
    course_completed.disconnect(dispatch_uid="test-completions-sent")


def _full_flow(cast, django_capture_on_commit_callbacks, completions_sent):
    built = learning_course(cast.base_x, lessons=2, credit_hours=Decimal("2"))
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = enrol(cast.learner, built.course)
        read_all_lessons(enrollment, built.lessons)
    assert not CourseCompletion.objects.exists(), "the quiz is still required"
    with django_capture_on_commit_callbacks(execute=True):
        attempt = attempt_start(quiz=built.quiz, user=cast.learner)
        attempt_submit(attempt=attempt, user=cast.learner, answers=wrong_answers(attempt))
    assert not CourseCompletion.objects.exists(), "a failed attempt completes nothing"
    with django_capture_on_commit_callbacks(execute=True):
        pass_quiz(built.quiz, cast.learner)
    completion = CourseCompletion.objects.get()
    assert completion.user == cast.learner and completion.course.pk == built.course.pk
    assert completion.score_percent == Decimal("100")
    entry = completion.hours_entry
    assert entry.source_key == f"course-completion:{completion.pk}"
    assert (entry.kind, entry.status, entry.minutes) == (HoursKind.LEARNING, HoursStatus.VERIFIED, 120)
    assert entry.credited_organization == cast.school_a
    assert entry.recorded_by_organization == cast.base_x
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.COMPLETED and enrollment.completed_at == completion.completed_at
    assert completions_sent == [completion.pk]
    return built, completion


def test_full_flow_from_enrolment_to_completion(cast, django_capture_on_commit_callbacks, completions_sent):
    _full_flow(cast, django_capture_on_commit_callbacks, completions_sent)


@postgres_only()
@pytest.mark.postgres
def test_full_flow_from_enrolment_to_completion_on_postgresql(
    cast, django_capture_on_commit_callbacks, completions_sent
):
    _full_flow(cast, django_capture_on_commit_callbacks, completions_sent)


def test_replaying_every_event_credits_the_hours_once(cast, django_capture_on_commit_callbacks, completions_sent):
    built, completion = _full_flow(cast, django_capture_on_commit_callbacks, completions_sent)
    enrollment = completion.enrollment
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in built.lessons:  # lesson done, again
            lesson_complete(enrollment=enrollment, lesson=lesson)
        for attempt in Attempt.objects.filter(user=cast.learner):  # the quiz's graded event, again
            attempt_graded.send(sender=Attempt, attempt=attempt)
        assert completion_evaluate(user=cast.learner, course=built.course).pk == completion.pk
        again, created = course_complete(enrollment=enrollment)  # completion, again
    assert not created and again.pk == completion.pk
    assert CourseCompletion.objects.count() == 1
    assert HoursEntry.objects.filter(user=cast.learner).count() == 1
    assert completions_sent == [completion.pk]


def test_a_course_with_a_rubric_needs_the_practical_passed(cast, django_capture_on_commit_callbacks):
    built = learning_course(cast.base_x, lessons=1, rubric=True)
    assessor = cast.editor_x
    membership_add(user=assessor, organization=cast.base_x, role=Role.ASSESSOR)
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = enrol(cast.learner, built.course)
        read_all_lessons(enrollment, built.lessons)
        pass_quiz(built.quiz, cast.learner)
    assert not CourseCompletion.objects.exists()
    results = {item.key: True for item in built.rubric.items.all()}
    with django_capture_on_commit_callbacks(execute=True):
        practical_assessment_record(
            rubric=built.rubric,
            learner=cast.learner,
            assessor=assessor,
            assessed_on=timezone.localdate(),
            place="实训室",
            results={**results, "compressions": False},
        )
    assert not CourseCompletion.objects.exists(), "a failed practical completes nothing"
    with django_capture_on_commit_callbacks(execute=True):
        practical_assessment_record(
            rubric=built.rubric,
            learner=cast.learner,
            assessor=assessor,
            assessed_on=timezone.localdate(),
            place="实训室",
            results=results,
        )
    assert CourseCompletion.objects.filter(user=cast.learner, course=built.course).exists()


def test_a_course_without_a_quiz_completes_with_its_last_lesson(settings, cast, django_capture_on_commit_callbacks):
    settings.LESSON_MIN_READING_FRACTION = 0
    built = learning_course(cast.base_x, lessons=2, quiz=False)
    enrollment = enrol(cast.learner, built.course)
    lesson_open(enrollment=enrollment, lesson=built.lessons[0])
    lesson_complete(enrollment=enrollment, lesson=built.lessons[0])
    assert not CourseCompletion.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        lesson_open(enrollment=enrollment, lesson=built.lessons[1])
        lesson_complete(enrollment=enrollment, lesson=built.lessons[1])
    assert CourseCompletion.objects.get().score_percent is None


def test_a_school_with_45_minute_hours_gets_its_own_hours(cast, django_capture_on_commit_callbacks):
    cast.school_a.minutes_per_hour = 45
    cast.school_a.save()
    built = learning_course(cast.base_x, lessons=1, credit_hours=Decimal("2"))
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = enrol(cast.learner, built.course)
        read_all_lessons(enrollment, built.lessons)
        pass_quiz(built.quiz, cast.learner)
    assert CourseCompletion.objects.get().hours_entry.minutes == 90


def test_an_unaffiliated_volunteer_is_credited_to_no_school(cast, django_capture_on_commit_callbacks):
    built = learning_course(cast.base_x, lessons=1, credit_hours=Decimal("1.5"))
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = enrol(cast.outsider, built.course)
        read_all_lessons(enrollment, built.lessons)
        pass_quiz(built.quiz, cast.outsider)
    entry = CourseCompletion.objects.get().hours_entry
    assert entry.credited_organization is None and entry.minutes == 90


def test_a_course_without_credit_completes_without_an_hours_entry(cast, django_capture_on_commit_callbacks):
    built = learning_course(cast.base_x, lessons=1, credit_hours=Decimal("0"))
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = enrol(cast.learner, built.course)
        read_all_lessons(enrollment, built.lessons)
        pass_quiz(built.quiz, cast.learner)
    completion = CourseCompletion.objects.get()
    assert completion.hours_entry is None and not HoursEntry.objects.exists()


def test_passing_the_quiz_without_an_enrolment_completes_nothing(cast, django_capture_on_commit_callbacks):
    built = learning_course(cast.base_x, lessons=1)
    with django_capture_on_commit_callbacks(execute=True):
        pass_quiz(built.quiz, cast.learner)
    assert not CourseCompletion.objects.exists()


def test_progress_survives_withdrawing_and_enrolling_again(settings, cast, django_capture_on_commit_callbacks):
    from courses.services.enrollment import enrollment_withdraw

    built = learning_course(cast.base_x, lessons=1)
    enrollment = enrol(cast.learner, built.course)
    read_all_lessons(enrollment, built.lessons)
    enrollment_withdraw(enrollment=enrollment, user=cast.learner)
    with django_capture_on_commit_callbacks(execute=True):
        pass_quiz(built.quiz, cast.learner)
    assert not CourseCompletion.objects.exists(), "withdrawn: nothing completes"
    again = enrol(cast.learner, built.course)
    assert LessonProgress.objects.filter(user=cast.learner, completed_at__isnull=False).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        completion = completion_evaluate(user=cast.learner, course=built.course)
    assert completion is not None and completion.enrollment_id == again.pk
    assert completion.completed_at <= timezone.now() + datetime.timedelta(seconds=1)
