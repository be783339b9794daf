"""Standalone quiz-taking views (the course player in `courses` reuses the include and the services).

Every attempt URL is for its owner only; anyone else gets a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import get_object_for_user_or_404, user_can
from assessments import selectors
from assessments.exceptions import AttemptClosed, AttemptNotAllowed, InvalidAnswer
from assessments.forms import answers_from_post
from assessments.models import Attempt, Quiz, Rubric
from assessments.practical_forms import PracticalRecordForm
from assessments.services import attempt_save_answers, attempt_start, attempt_submit
from assessments.services.practical import practical_assessment_record


def _quiz_for_learner(request: HttpRequest, quiz_id: int) -> Quiz:
    # Learners see the published quiz only (ADR 0020); a draft that was never approved is not there.
    quiz = get_object_or_404(Quiz.objects.filter(live=True).select_related("bank__organization"), pk=quiz_id)
    if not (quiz.standalone_open or user_can(request.user, "manage_question_banks", quiz)):
        raise Http404
    return quiz


def _own_attempt(request: HttpRequest, attempt_id: int) -> Attempt:
    return selectors.own_attempt_or_404(request.user, attempt_id)


@login_required
@require_GET
def quiz_detail(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = _quiz_for_learner(request, quiz_id)
    attempts = list(selectors.attempts_of_user(quiz=quiz, user=request.user))
    return render(request, "assessments/quiz_detail.html", {"quiz": quiz, "attempts": attempts})


@login_required
@require_POST
def quiz_start(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = _quiz_for_learner(request, quiz_id)
    try:
        attempt = attempt_start(quiz=quiz, user=request.user)
    except AttemptNotAllowed as error:
        messages.error(request, error.messages[0])
        return redirect("assessments:quiz_detail", quiz_id=quiz.pk)
    return redirect("assessments:attempt_detail", attempt_id=attempt.pk)


@login_required
@require_GET
def attempt_detail(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    if attempt.is_open:
        return render(
            request,
            "assessments/attempt_take.html",
            {
                "attempt": attempt,
                "quiz": attempt.quiz,
                "questions": selectors.attempt_question_views(attempt),
                "remaining_seconds": selectors.attempt_remaining_seconds(attempt),
            },
        )
    review = selectors.attempt_review_level(attempt)
    return render(
        request,
        "assessments/attempt_result.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "review": review,
            "questions": selectors.attempt_question_views(attempt, review=review),
        },
    )


@login_required
@require_POST
def attempt_answers(request: HttpRequest, attempt_id: int) -> JsonResponse:
    """Autosave: the quiz form as it stands; answers the server's remaining time."""
    attempt = _own_attempt(request, attempt_id)
    try:
        saved = attempt_save_answers(attempt=attempt, user=request.user, answers=answers_from_post(request.POST))
    except AttemptClosed as error:
        return JsonResponse({"error": error.messages[0], "closed": True}, status=409)
    except InvalidAnswer as error:
        return JsonResponse({"error": error.messages[0]}, status=400)
    return JsonResponse({"saved": saved, "remaining_seconds": selectors.attempt_remaining_seconds(attempt)})


@login_required
@require_POST
def attempt_submit_from_post(request: HttpRequest, attempt: Attempt) -> None:
    """Submit the posted answers; a bad answer or a closed attempt becomes a message. The standalone quiz and the
    course player both submit through here."""
    try:
        attempt_submit(attempt=attempt, user=request.user, answers=answers_from_post(request.POST))
    except InvalidAnswer as error:
        messages.error(request, error.messages[0])
    except AttemptClosed as error:
        messages.warning(request, error.messages[0])


def attempt_submit_view(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    attempt_submit_from_post(request, attempt)
    return redirect("assessments:attempt_detail", attempt_id=attempt.pk)


@login_required
@require_GET
def practical_results(request: HttpRequest) -> HttpResponse:
    assessments = selectors.practical_assessments_of_learner(learner=request.user)
    return render(request, "assessments/practical_results.html", {"assessments": assessments})


def _assessable_rubrics(user):
    from accounts.permissions import organizations_for_user

    return Rubric.objects.filter(organization__in=organizations_for_user(user, "assess_learners"), live=True).order_by(
        "title"
    )


@login_required
@require_GET
def practical_record_choose(request: HttpRequest) -> HttpResponse:
    """The assessor picks the rubric; anyone who assesses for no organisation gets 404."""
    rubrics = list(_assessable_rubrics(request.user).select_related("organization"))
    if not rubrics:
        raise Http404
    return render(request, "assessments/practical_record_choose.html", {"rubrics": rubrics})


@login_required
@require_http_methods(["GET", "POST"])
def practical_record(request: HttpRequest, rubric_id: int) -> HttpResponse:
    rubric = get_object_for_user_or_404(
        request.user, "assess_learners", Rubric.objects.filter(live=True).select_related("organization"), pk=rubric_id
    )
    form = PracticalRecordForm(request.POST or None, rubric=rubric)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = practical_assessment_record(
                rubric=rubric,
                learner=data["volunteer_number"],
                assessor=request.user,
                assessed_on=data["assessed_on"],
                place=data["place"],
                results=form.results(),
                notes=data["notes"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, field_errors in error.message_dict.items():
                    for message in field_errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                for message in error.messages:
                    form.add_error(None, message)
        except PermissionDenied as error:
            raise Http404 from error
        else:
            outcome = _("passed") if assessment.passed else _("not passed")
            messages.success(
                request,
                _("Recorded for %(name)s: %(outcome)s.")
                % {"name": assessment.learner.display_name, "outcome": outcome},
            )
            return redirect("assessments:practical_record", rubric_id=rubric.pk)
    return render(
        request,
        "assessments/practical_record.html",
        {"rubric": rubric, "form": form},
        status=400 if request.method == "POST" else 200,
    )
