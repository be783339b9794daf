"""The learner's path: enrolment, the course player (lessons and the course's quizzes), dashboard, transcript.

Enrolments and attempts are reachable only by their owner; anyone else gets a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.constants import Role
from accounts.models import Organization, User
from accounts.permissions import get_object_for_user_or_404, user_can
from assessments.exceptions import AttemptNotAllowed
from assessments.models import Attempt, Quiz
from assessments.selectors import (
    attempt_question_views,
    attempt_remaining_seconds,
    attempt_review_level,
    attempts_of_user,
    own_attempt_or_404,
)
from assessments.services import attempt_start
from assessments.views import attempt_submit_from_post
from content.models import LessonPage
from content.rich_text import page_links_prefetched
from core import pdf
from courses.dashboard_sections import dashboard_sections
from courses.forms import GroupEnrollmentForm
from courses.models import CourseCompletion, Enrollment, EnrollmentStatus
from courses.selectors import enrolments
from courses.selectors.dashboard import learner_dashboard
from courses.selectors.learners import course_live_lessons, learner_school
from courses.selectors.progress import course_progress, lesson_states
from courses.selectors.transcript import learner_transcript
from courses.services.enrollment import enrollment_create, enrollment_create_for_students, enrollment_withdraw
from courses.services.progress import (
    heartbeat_seconds,
    lesson_complete,
    lesson_heartbeat,
    lesson_open,
    reading_seconds_left,
)


def _own_enrollment(request: HttpRequest, enrollment_id: int) -> Enrollment:
    return get_object_or_404(
        Enrollment.objects.select_related("course", "user"), pk=enrollment_id, user_id=request.user.pk
    )


def _first_error(error: ValidationError) -> str:
    return error.messages[0]


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    context = {
        "dashboard": learner_dashboard(user=request.user),
        "extra_sections": dashboard_sections(user=request.user),
    }
    return render(request, "courses/dashboard.html", context)


@login_required
@require_POST
def course_enrol(request: HttpRequest, course_id: int) -> HttpResponse:
    course = enrolments.public_course(course_id=course_id)
    if course is None:
        raise Http404
    try:
        enrollment, created = enrollment_create(user=request.user, course=course)
    except ValidationError as error:
        messages.error(request, _first_error(error))
        return redirect(course.url)
    if created:
        messages.success(request, _("You are enrolled. Start with the first lesson."))
    return redirect("courses:player_resume", enrollment_id=enrollment.pk)


@login_required
@require_GET
def player(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = _own_enrollment(request, enrollment_id)
    course = enrollment.course
    lessons = list(course_live_lessons(course=course))
    states = lesson_states(user=request.user, course=course)
    for lesson in lessons:
        state = states.get(lesson.pk)
        lesson.opened = state is not None
        lesson.done = state is not None and state.completed_at is not None
    context = {
        "enrollment": enrollment,
        "course": course,
        "lessons": lessons,
        "progress": course_progress(user=request.user, course=course),
        "completion": CourseCompletion.objects.filter(user=request.user, course=course).first(),
    }
    return render(request, "courses/player.html", context)


@login_required
@require_GET
def player_resume(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """Where the learner left off: the last lesson opened if unfinished, else the first unfinished one, else the
    first quiz not passed, else the course overview."""
    enrollment = _own_enrollment(request, enrollment_id)
    if not enrollment.is_active:
        return redirect("courses:player", enrollment_id=enrollment.pk)
    lessons = list(course_live_lessons(course=enrollment.course))
    states = lesson_states(user=request.user, course=enrollment.course)
    unfinished = [lesson for lesson in lessons if lesson.pk not in states or states[lesson.pk].completed_at is None]
    target = next((lesson for lesson in unfinished if lesson.pk == enrollment.last_lesson_id), None)
    target = target or (unfinished[0] if unfinished else None)
    if target is not None:
        return redirect("courses:player_lesson", enrollment_id=enrollment.pk, lesson_id=target.pk)
    progress = course_progress(user=request.user, course=enrollment.course)
    quiz = next((quiz for quiz in progress.quizzes if not quiz.passed), None)
    if quiz is not None:
        return redirect("courses:player_quiz", enrollment_id=enrollment.pk, quiz_id=quiz.quiz_id)
    return redirect("courses:player", enrollment_id=enrollment.pk)


@login_required
@require_GET
def player_lesson(request: HttpRequest, enrollment_id: int, lesson_id: int) -> HttpResponse:
    enrollment = _own_enrollment(request, enrollment_id)
    course = enrollment.course
    lessons = list(course_live_lessons(course=course))
    ids = [lesson.pk for lesson in lessons]
    if lesson_id not in ids:
        raise Http404
    lesson = LessonPage.objects.get(pk=lesson_id)
    if enrollment.status == EnrollmentStatus.WITHDRAWN:
        messages.warning(request, _("You have withdrawn from this course; enrol again to continue."))
        return redirect(course.url)
    state = lesson_open(enrollment=enrollment, lesson=lesson)
    index = ids.index(lesson_id)
    wait = reading_seconds_left(lesson=lesson, progress=state)
    context = {
        "enrollment": enrollment,
        "course": course,
        "page": lesson,
        "state": state,
        "wait_seconds": wait,
        "wait_minutes": -(-wait // 60),
        "heartbeat_seconds": heartbeat_seconds(),
        "position": index + 1,
        "total": len(lessons),
        "previous": lessons[index - 1] if index > 0 else None,
        "next": lessons[index + 1] if index + 1 < len(lessons) else None,
    }
    with page_links_prefetched(lesson.body):
        return render(request, "courses/player_lesson.html", context)


@login_required
@require_POST
def player_lesson_done(request: HttpRequest, enrollment_id: int, lesson_id: int) -> HttpResponse:
    enrollment = _own_enrollment(request, enrollment_id)
    lesson = get_object_or_404(course_live_lessons(course=enrollment.course), pk=lesson_id)
    try:
        lesson_complete(enrollment=enrollment, lesson=lesson)
    except ValidationError as error:
        messages.error(request, _first_error(error))
        return redirect("courses:player_lesson", enrollment_id=enrollment.pk, lesson_id=lesson.pk)
    if CourseCompletion.objects.filter(user=request.user, course_id=enrollment.course_id).exists():
        messages.success(request, _("Course completed! Your learning hours have been credited."))
        return redirect("courses:player", enrollment_id=enrollment.pk)
    messages.success(request, _("Lesson finished."))
    return redirect("courses:player_resume", enrollment_id=enrollment.pk)


@login_required
@require_POST
def player_lesson_heartbeat(request: HttpRequest, enrollment_id: int, lesson_id: int) -> JsonResponse:
    """The lesson page's heartbeat (static/js/course_player.js, also by sendBeacon): credits time on the page to this
    lesson through the learner's one reading clock for the course. `start=1` when the page just became visible."""
    enrollment = _own_enrollment(request, enrollment_id)
    try:
        credit = lesson_heartbeat(
            enrollment=enrollment, lesson_id=lesson_id, start=request.POST.get("start") in ("1", "true")
        )
    except ValidationError as error:
        return JsonResponse({"error": _first_error(error)}, status=400)
    return JsonResponse(
        {
            "credited": credit.credited,
            "credited_seconds": credit.credited_seconds,
            "minimum_seconds": credit.minimum_seconds,
            "remaining_seconds": credit.remaining_seconds,
        }
    )


@login_required
@require_POST
def enrollment_withdraw_view(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = _own_enrollment(request, enrollment_id)
    try:
        enrollment_withdraw(enrollment=enrollment, user=request.user)
    except ValidationError as error:
        messages.error(request, _first_error(error))
        return redirect("courses:player", enrollment_id=enrollment.pk)
    messages.success(request, _("You have withdrawn from the course. Your progress is kept if you enrol again."))
    return redirect("courses:dashboard")


def _course_quiz(enrollment: Enrollment, quiz_id: int) -> Quiz:
    quiz = enrolments.course_quiz(course_id=enrollment.course_id, quiz_id=quiz_id)
    if quiz is None:
        raise Http404
    return quiz


@login_required
@require_http_methods(["GET", "POST"])
def player_quiz(request: HttpRequest, enrollment_id: int, quiz_id: int) -> HttpResponse:
    enrollment = _own_enrollment(request, enrollment_id)
    quiz = _course_quiz(enrollment, quiz_id)
    if request.method == "POST":
        if enrollment.status == EnrollmentStatus.WITHDRAWN:
            messages.error(request, _("You have withdrawn from this course; enrol again to continue."))
            return redirect("courses:player", enrollment_id=enrollment.pk)
        try:
            attempt = attempt_start(quiz=quiz, user=request.user)
        except AttemptNotAllowed as error:
            messages.error(request, error.messages[0])
            return redirect("courses:player_quiz", enrollment_id=enrollment.pk, quiz_id=quiz.pk)
        return redirect("courses:player_attempt", enrollment_id=enrollment.pk, attempt_id=attempt.pk)
    context = {
        "enrollment": enrollment,
        "course": enrollment.course,
        "quiz": quiz,
        "attempts": list(attempts_of_user(quiz=quiz, user=request.user)),
        "progress": course_progress(user=request.user, course=enrollment.course),
    }
    return render(request, "courses/player_quiz.html", context)


def _own_course_attempt(request: HttpRequest, enrollment: Enrollment, attempt_id: int) -> Attempt:
    return own_attempt_or_404(request.user, attempt_id, quiz__course_id=enrollment.course_id)


@login_required
@require_GET
def player_attempt(request: HttpRequest, enrollment_id: int, attempt_id: int) -> HttpResponse:
    enrollment = _own_enrollment(request, enrollment_id)
    attempt = _own_course_attempt(request, enrollment, attempt_id)
    context = {"enrollment": enrollment, "course": enrollment.course, "attempt": attempt, "quiz": attempt.quiz}
    if attempt.is_open:
        context["questions"] = attempt_question_views(attempt)
        context["remaining_seconds"] = attempt_remaining_seconds(attempt)
        return render(request, "courses/player_attempt_take.html", context)
    review = attempt_review_level(attempt)
    context["review"] = review
    context["questions"] = attempt_question_views(attempt, review=review)
    context["completion"] = CourseCompletion.objects.filter(user=request.user, course=enrollment.course).first()
    return render(request, "courses/player_attempt_result.html", context)


@login_required
@require_POST
def player_attempt_submit(request: HttpRequest, enrollment_id: int, attempt_id: int) -> HttpResponse:
    enrollment = _own_enrollment(request, enrollment_id)
    attempt = _own_course_attempt(request, enrollment, attempt_id)
    attempt_submit_from_post(request, attempt)
    return redirect("courses:player_attempt", enrollment_id=enrollment.pk, attempt_id=attempt.pk)


def _learner_for_viewer(request: HttpRequest, user_id: int | None) -> User:
    """The learner whose record is asked for: oneself, or a student of a school whose reports the viewer sees."""
    if user_id is None or user_id == request.user.pk:
        return request.user
    learner = get_object_or_404(User, pk=user_id, is_active=True)
    school = learner_school(user=learner)
    if school is None or not user_can(request.user, "view_reports", school):
        raise Http404
    return learner


@login_required
@require_GET
def transcript(request: HttpRequest, user_id: int | None = None) -> HttpResponse:
    learner = _learner_for_viewer(request, user_id)
    context = {"transcript": learner_transcript(learner=learner), "own": learner.pk == request.user.pk}
    return render(request, "courses/transcript.html", context)


@login_required
@require_GET
def transcript_pdf(request: HttpRequest, user_id: int | None = None) -> HttpResponse:
    learner = _learner_for_viewer(request, user_id)
    document = pdf.render_pdf("courses/transcript_pdf.html", {"transcript": learner_transcript(learner=learner)})
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="transcript-{learner.volunteer_number}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def group_enrol(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = get_object_for_user_or_404(
        request.user, "manage_students", Organization.objects.all(), pk=organization_id
    )
    students = User.objects.filter(
        memberships__organization=organization, memberships__role=Role.LEARNER, is_active=True
    ).order_by("real_name", "username")
    courses = enrolments.public_courses()
    form = GroupEnrollmentForm(request.POST or None, courses=courses, students=students)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                results = enrollment_create_for_students(
                    coordinator=request.user,
                    organization=organization,
                    course=form.cleaned_data["course"],
                    students=form.cleaned_data["students"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                created = sum(1 for _enrollment, was_created in results if was_created)
                messages.success(
                    request,
                    _("%(created)d students enrolled (%(already)d were already enrolled).")
                    % {"created": created, "already": len(results) - created},
                )
                return redirect(reverse("courses:group_enrol", args=[organization.pk]))
        status = 400
    return render(request, "courses/group_enrol.html", {"organization": organization, "form": form}, status=status)
