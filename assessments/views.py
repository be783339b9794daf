"""Standalone quiz-taking views (the course player in `courses` reuses the include and the services).

Every attempt URL is for its owner only; anyone else gets a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from lms.accounts.permissions import user_can

from . import selectors
from .exceptions import AttemptClosed, AttemptNotAllowed, InvalidAnswer
from .forms import answers_from_post
from .models import Attempt, Quiz
from .services import attempt_save_answers, attempt_start, attempt_submit


def _quiz_for_learner(request: HttpRequest, quiz_id: int) -> Quiz:
    quiz = get_object_or_404(Quiz.objects.select_related("bank__organization"), pk=quiz_id)
    if not (quiz.standalone_open or user_can(request.user, "manage_question_banks", quiz)):
        raise Http404
    return quiz


def _own_attempt(request: HttpRequest, attempt_id: int) -> Attempt:
    attempt = get_object_or_404(Attempt.objects.select_related("quiz__bank"), pk=attempt_id)
    if attempt.user_id != request.user.pk:
        raise Http404
    return attempt


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
                "questions": selectors.attempt_question_views(attempt, review=False),
                "remaining_seconds": selectors.attempt_remaining_seconds(attempt),
            },
        )
    review = selectors.attempt_review_allowed(attempt)
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
def attempt_submit_view(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    try:
        attempt_submit(attempt=attempt, user=request.user, answers=answers_from_post(request.POST))
    except InvalidAnswer as error:
        messages.error(request, error.messages[0])
    except AttemptClosed as error:
        messages.warning(request, error.messages[0])
    return redirect("assessments:attempt_detail", attempt_id=attempt.pk)


@login_required
@require_GET
def practical_results(request: HttpRequest) -> HttpResponse:
    assessments = selectors.practical_assessments_of_learner(learner=request.user)
    return render(request, "assessments/practical_results.html", {"assessments": assessments})
