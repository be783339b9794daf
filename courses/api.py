"""The learner's path through the API: course detail, enrolment, lessons, starting quiz attempts, progress, hours.

Enrolments are their owner's alone (anyone else gets 404 from the permission service). Lessons are public content;
reading time is credited by heartbeats while the lesson is shown, through the learner's one reading clock per course,
exactly as the course player does (courses.services.progress.lesson_heartbeat).
"""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import get_object_for_user_or_404, user_can
from assessments.api import AttemptSerializer
from assessments.exceptions import AttemptNotAllowed
from assessments.models import ReviewPolicy
from assessments.services import attempt_start
from content.api import PageRefSerializer
from content.rich_text import page_links_prefetched
from content.selectors import course_prerequisites
from core.api_errors import error_response
from courses.models import Enrollment, EnrollmentStatus
from courses.selectors import enrolments
from courses.selectors.dashboard import hours_summary
from courses.selectors.learners import course_live_lessons, learner_school
from courses.selectors.progress import course_progress, lesson_states
from courses.services.enrollment import enrollment_create
from courses.services.progress import (
    heartbeat_seconds,
    lesson_complete,
    lesson_heartbeat,
    lesson_open,
    minimum_reading_seconds,
    reading_seconds_left,
)
from hours.selectors import hours_entries_of_year
from hours.serializers import HoursEntrySerializer, SchoolYearQuerySerializer, school_year_param

# ---------------------------------------------------------------------------------------------------------------
# Serializers
# ---------------------------------------------------------------------------------------------------------------


class LessonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    title = serializers.CharField()
    title_en = serializers.CharField(allow_blank=True)
    estimated_minutes = serializers.IntegerField()


class QuizRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    title_en = serializers.CharField(allow_blank=True)
    pass_mark = serializers.IntegerField()
    question_count = serializers.IntegerField()
    time_limit_minutes = serializers.IntegerField()
    max_attempts = serializers.IntegerField()
    review_policy = serializers.ChoiceField(choices=ReviewPolicy.choices)


class QuizProgressSerializer(serializers.Serializer):
    quiz_id = serializers.IntegerField()
    title = serializers.CharField()
    passed = serializers.BooleanField()
    best_percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


class PracticalProgressSerializer(serializers.Serializer):
    rubric_id = serializers.IntegerField()
    title = serializers.CharField()
    passed = serializers.BooleanField()


class ProgressSerializer(serializers.Serializer):
    lessons_total = serializers.IntegerField()
    lessons_done = serializers.IntegerField()
    quizzes = QuizProgressSerializer(many=True)
    practicals = PracticalProgressSerializer(many=True)
    steps_total = serializers.IntegerField()
    steps_done = serializers.IntegerField()
    percent = serializers.IntegerField()
    rules_met = serializers.BooleanField()


class CompletionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    completed_at = serializers.DateTimeField()
    score_percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    credit_minutes = serializers.IntegerField()


class EnrollmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    course_id = serializers.IntegerField()
    course_title = serializers.CharField(source="course.title")
    status = serializers.ChoiceField(choices=EnrollmentStatus.choices)
    enrolled_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    last_lesson_id = serializers.IntegerField(allow_null=True)


class EnrollmentProgressSerializer(serializers.Serializer):
    enrollment = EnrollmentSerializer()
    progress = ProgressSerializer()
    completion = CompletionSerializer(allow_null=True)


class CourseDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="course.id")
    key = serializers.CharField(source="course.key")
    title = serializers.CharField(source="course.title")
    title_en = serializers.CharField(source="course.title_en", allow_blank=True)
    summary = serializers.CharField(source="course.summary", allow_blank=True)
    summary_en = serializers.CharField(source="course.summary_en", allow_blank=True)
    objectives = serializers.ListField(source="course.objective_list", child=serializers.CharField())
    objectives_en = serializers.ListField(source="course.objective_list_en", child=serializers.CharField())
    credit_hours = serializers.DecimalField(source="course.credit_hours", max_digits=4, decimal_places=1)
    estimated_minutes = serializers.IntegerField(source="course.estimated_minutes")
    level = serializers.CharField(source="course.level")
    skill_area = serializers.CharField(source="course.skill_area")
    audiences = serializers.ListField(source="course.audiences", child=serializers.CharField())
    earns_certificate = serializers.BooleanField(source="course.earns_certificate")
    url = serializers.CharField(source="course.url", allow_null=True)
    prerequisites = PageRefSerializer(many=True)
    lessons = LessonRefSerializer(many=True)
    quizzes = QuizRefSerializer(many=True)
    enrollment = EnrollmentSerializer(allow_null=True, help_text="The caller's current enrolment, if any.")
    progress = ProgressSerializer(allow_null=True)


class LessonStateSerializer(serializers.Serializer):
    opened_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    credited_seconds = serializers.IntegerField(help_text="Reading time credited by heartbeats so far.")
    wait_seconds = serializers.IntegerField(
        help_text="Seconds of reading still to be credited (by heartbeats) before the lesson may be finished."
    )
    heartbeat_seconds = serializers.IntegerField(help_text="How often to send a heartbeat while the lesson is shown.")


class HeartbeatRequestSerializer(serializers.Serializer):
    start = serializers.BooleanField(
        required=False, default=False, help_text="True when the lesson has just come into view: credits nothing."
    )


class HeartbeatSerializer(serializers.Serializer):
    credited = serializers.IntegerField(help_text="Seconds this heartbeat credited to the lesson.")
    credited_seconds = serializers.IntegerField(help_text="The lesson's reading time credited so far.")
    minimum_seconds = serializers.IntegerField()
    remaining_seconds = serializers.IntegerField(help_text="Seconds still to be credited before it may be finished.")


class LessonDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="lesson.id")
    key = serializers.CharField(source="lesson.key")
    title = serializers.CharField(source="lesson.title")
    title_en = serializers.CharField(source="lesson.title_en", allow_blank=True)
    course_id = serializers.IntegerField(source="course.id")
    estimated_minutes = serializers.IntegerField(source="lesson.estimated_minutes")
    minimum_reading_seconds = serializers.IntegerField()
    body_html = serializers.CharField(allow_blank=True)
    url = serializers.CharField(source="lesson.url", allow_null=True)
    state = LessonStateSerializer(allow_null=True, help_text="The caller's progress when enrolled; null otherwise.")


class LessonCompletionSerializer(serializers.Serializer):
    lesson_id = serializers.IntegerField()
    completed_at = serializers.DateTimeField()
    progress = ProgressSerializer()
    completion = CompletionSerializer(allow_null=True, help_text="Set once the whole course is complete.")


class StarSerializer(serializers.Serializer):
    stars = serializers.IntegerField()
    hours = serializers.FloatField()
    next_threshold_hours = serializers.IntegerField(allow_null=True)


class OrganizationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class HoursSummarySerializer(serializers.Serializer):
    school = OrganizationRefSerializer(allow_null=True)
    school_year = serializers.CharField()
    required_hours = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    year_hours = serializers.DecimalField(max_digits=8, decimal_places=1)
    year_pending_hours = serializers.DecimalField(max_digits=8, decimal_places=1)
    requirement_met = serializers.BooleanField()
    learning_hours_total = serializers.DecimalField(max_digits=8, decimal_places=1)
    service_hours_total = serializers.DecimalField(max_digits=8, decimal_places=1)
    star = StarSerializer()


# ---------------------------------------------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------------------------------------------


def _public_course_or_404(course_id: int):
    course = enrolments.public_course(course_id=course_id)
    if course is None:
        raise Http404
    return course


class CourseDetailView(APIView):
    """A published course with its lessons and quizzes, and the caller's enrolment and progress. Public."""

    permission_classes = [AllowAny]

    @extend_schema(responses=CourseDetailSerializer, tags=["catalogue"])
    def get(self, request, course_id: int):
        course = _public_course_or_404(course_id)
        enrollment = enrolments.current_enrollment(user=request.user, course=course)
        data = {
            "course": course,
            "prerequisites": course_prerequisites(course=course),
            "lessons": list(course_live_lessons(course=course)),
            "quizzes": enrolments.course_quizzes(course=course),
            "enrollment": enrollment,
            "progress": course_progress(user=request.user, course=course) if enrollment is not None else None,
        }
        return Response(CourseDetailSerializer(data).data)


class CourseEnrollmentView(APIView):
    """Enrol the caller in a published course (idempotent: 201 when created, 200 when already enrolled)."""

    @extend_schema(request=None, responses={200: EnrollmentSerializer, 201: EnrollmentSerializer}, tags=["learner"])
    def post(self, request, course_id: int):
        course = _public_course_or_404(course_id)
        enrollment, created = enrollment_create(user=request.user, course=course)
        return Response(
            EnrollmentSerializer(enrollment).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class EnrollmentDetailView(APIView):
    """One of the caller's enrolments with progress."""

    @extend_schema(responses=EnrollmentProgressSerializer, tags=["learner"])
    def get(self, request, enrollment_id: int):
        enrollment = get_object_for_user_or_404(
            request.user, "view_own", Enrollment.objects.select_related("course", "completion"), pk=enrollment_id
        )
        row = enrolments.enrollments_progress(user=request.user, enrollments=[enrollment])[0]
        return Response(EnrollmentProgressSerializer(row).data)


def _lesson_or_404(lesson_id: int):
    found = enrolments.public_lesson(lesson_id=lesson_id)
    if found is None:
        raise Http404
    return found


def _not_enrolled() -> Response:
    return error_response(code="not_enrolled", detail=_("Enrol in the course first."))


class LessonDetailView(APIView):
    """A lesson's content. When the caller is enrolled, opening it records the lesson as opened (as in the player);
    reading time is then credited by heartbeats (POST .../heartbeat/)."""

    permission_classes = [AllowAny]

    @extend_schema(responses=LessonDetailSerializer, tags=["catalogue"])
    def get(self, request, lesson_id: int):
        lesson, course = _lesson_or_404(lesson_id)
        enrollment = enrolments.current_enrollment(user=request.user, course=course)
        state = None
        if enrollment is not None and enrollment.is_active:
            progress = lesson_open(enrollment=enrollment, lesson=lesson)
            state = _lesson_state(lesson, progress)
        elif enrollment is not None:
            state = _lesson_state(lesson, lesson_states(user=request.user, course=course).get(lesson.pk))
        with page_links_prefetched(lesson.body):
            body_html = lesson.body.render_as_block()
        data = {
            "lesson": lesson,
            "course": course,
            "minimum_reading_seconds": minimum_reading_seconds(lesson),
            "body_html": str(body_html),
            "state": state,
        }
        return Response(LessonDetailSerializer(data).data)


def _lesson_state(lesson, progress) -> dict:
    return {
        "opened_at": progress.opened_at if progress is not None else None,
        "completed_at": progress.completed_at if progress is not None else None,
        "credited_seconds": progress.credited_seconds if progress is not None else 0,
        "wait_seconds": reading_seconds_left(lesson=lesson, progress=progress),
        "heartbeat_seconds": heartbeat_seconds(),
    }


class LessonHeartbeatView(APIView):
    """The reading clock: send while the lesson is shown to the learner, every `state.heartbeat_seconds` (with
    `start` when it comes into view). Each heartbeat credits the time since the caller's previous heartbeat in this
    course, at most one interval and a few seconds of slack, to this lesson only; lessons shown in parallel share one
    clock. The lesson must have been opened (GET) while enrolled."""

    @extend_schema(request=HeartbeatRequestSerializer, responses={200: HeartbeatSerializer}, tags=["learner"])
    def post(self, request, lesson_id: int):
        lesson, course = _lesson_or_404(lesson_id)
        enrollment = enrolments.current_enrollment(user=request.user, course=course)
        if enrollment is None:
            return _not_enrolled()
        serializer = HeartbeatRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        credit = lesson_heartbeat(enrollment=enrollment, lesson_id=lesson.pk, start=serializer.validated_data["start"])
        return Response(HeartbeatSerializer(credit).data)


class LessonCompletionView(APIView):
    """Mark a lesson finished (idempotent). It needs the minimum reading time credited by heartbeats (POST
    .../heartbeat/); too soon is a 400 that says how long is left (LESSON_MIN_READING_FRACTION=0 turns the minimum
    off). Completes the course when its rules hold."""

    @extend_schema(request=None, responses={200: LessonCompletionSerializer}, tags=["learner"])
    def post(self, request, lesson_id: int):
        lesson, course = _lesson_or_404(lesson_id)
        enrollment = enrolments.current_enrollment(user=request.user, course=course)
        if enrollment is None:
            return _not_enrolled()
        lesson_open(enrollment=enrollment, lesson=lesson)
        progress_row = lesson_complete(enrollment=enrollment, lesson=lesson)
        row = enrolments.enrollments_progress(
            user=request.user, enrollments=list(enrolments.current_enrollments(user=request.user).filter(course=course))
        )[0]
        data = {
            "lesson_id": lesson.pk,
            "completed_at": progress_row.completed_at,
            "progress": row.progress,
            "completion": row.completion,
        }
        return Response(LessonCompletionSerializer(data).data)


class QuizAttemptsView(APIView):
    """Start an attempt (or resume the open one) of a quiz of a course the caller is enrolled in, or of a practice
    quiz open to everyone. The questions come in their display order without any answer data."""

    @extend_schema(
        request=None,
        responses={201: AttemptSerializer, 400: OpenApiResponse(description="Not enrolled, or no attempt allowed.")},
        tags=["attempts"],
    )
    def post(self, request, quiz_id: int):
        quiz = enrolments.quiz_for_start(quiz_id=quiz_id)
        if quiz is None:
            raise Http404
        if not (quiz.standalone_open or user_can(request.user, "manage_question_banks", quiz)):
            if not enrolments.course_is_public(course_id=quiz.course_id):
                raise Http404
            enrollment = enrolments.current_enrollment(user=request.user, course=quiz.course)
            if enrollment is None:
                return _not_enrolled()
        try:
            attempt = attempt_start(quiz=quiz, user=request.user)
        except AttemptNotAllowed as error:
            return error_response(code=error.code or "not_allowed", detail=error.messages[0])
        return Response(AttemptSerializer(attempt).data, status=status.HTTP_201_CREATED)


class MyProgressView(GenericAPIView):
    """The caller's current enrolments (in progress and completed) with progress, most recent activity first."""

    serializer_class = EnrollmentProgressSerializer

    @extend_schema(responses=EnrollmentProgressSerializer(many=True), tags=["me"])
    def get(self, request):
        page = self.paginate_queryset(enrolments.current_enrollments(user=request.user))
        rows = enrolments.enrollments_progress(user=request.user, enrollments=page)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


class MyHoursView(APIView):
    """The caller's 学时 for a school year against their school's requirement, totals and star level."""

    @extend_schema(parameters=[SchoolYearQuerySerializer], responses=HoursSummarySerializer, tags=["me"])
    def get(self, request):
        school_year = school_year_param(request)
        summary = hours_summary(user=request.user, school=learner_school(user=request.user), school_year=school_year)
        return Response(HoursSummarySerializer(summary).data)


class MyHoursEntriesView(GenericAPIView):
    """The caller's hours-ledger entries of a school year (pending, verified and rejected), newest first."""

    serializer_class = HoursEntrySerializer

    @extend_schema(parameters=[SchoolYearQuerySerializer], responses=HoursEntrySerializer(many=True), tags=["me"])
    def get(self, request):
        school_year = school_year_param(request)
        page = self.paginate_queryset(hours_entries_of_year(user=request.user, school_year=school_year))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


urlpatterns = [
    path("courses/<int:course_id>/", CourseDetailView.as_view(), name="course-detail"),
    path("courses/<int:course_id>/enrollment/", CourseEnrollmentView.as_view(), name="course-enrollment"),
    path("enrollments/<int:enrollment_id>/", EnrollmentDetailView.as_view(), name="enrollment-detail"),
    path("lessons/<int:lesson_id>/", LessonDetailView.as_view(), name="lesson-detail"),
    path("lessons/<int:lesson_id>/heartbeat/", LessonHeartbeatView.as_view(), name="lesson-heartbeat"),
    path("lessons/<int:lesson_id>/completion/", LessonCompletionView.as_view(), name="lesson-completion"),
    path("quizzes/<int:quiz_id>/attempts/", QuizAttemptsView.as_view(), name="quiz-attempts"),
    path("me/progress/", MyProgressView.as_view(), name="me-progress"),
    path("me/hours/", MyHoursView.as_view(), name="me-hours"),
    path("me/hours/entries/", MyHoursEntriesView.as_view(), name="me-hours-entries"),
]
