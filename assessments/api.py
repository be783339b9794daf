"""Assessments API: an attempt as its owner sees it, autosaving answers, submitting once.

Answers are given by the display position of each question and option ("as the learner sees the question"), never by
ids. After submission the review level (assessments.selectors.attempt_review_level, the same rule as the pages) says
what is shown: the score only, right or wrong per question, or the answers; answer data is left out of the JSON
altogether unless the level is "answers". Attempts are their owner's alone
(anyone else gets 404). Starting an attempt lives in courses/api.py, which knows about enrolments.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments import selectors
from assessments.exceptions import AttemptClosed, InvalidAnswer
from assessments.models import Attempt, AttemptStatus, QuestionType
from assessments.selectors import own_attempt_or_404
from assessments.services import attempt_save_answers, attempt_submit
from core.api_errors import error_response

MAX_ANSWERS = 500


ANSWER_ONLY = "Present only when the review level is “answers”."
OPTION_ANSWER_FIELDS = ("is_correct", "feedback")
QUESTION_ANSWER_FIELDS = ("explanation", "accepted_answers", "correct_order")


class OptionSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The display position (0-based): the only way to name an option.")
    text = serializers.CharField()
    selected = serializers.BooleanField()
    rank = serializers.IntegerField(allow_null=True, help_text="Ordering questions: the place given (1-based).")
    is_correct = serializers.BooleanField(required=False, help_text=ANSWER_ONLY)
    feedback = serializers.CharField(required=False, allow_blank=True, help_text=ANSWER_ONLY)


class QuestionSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    type = serializers.ChoiceField(choices=QuestionType.choices)
    text = serializers.CharField()
    options = OptionSerializer(many=True)
    fill_value = serializers.CharField(allow_blank=True)
    review = serializers.BooleanField(help_text="True when this question carries its answer data.")
    score = serializers.DecimalField(
        max_digits=6, decimal_places=3, allow_null=True, help_text="The points earned (0-1); null before review."
    )
    outcome = serializers.ChoiceField(
        choices=["correct", "partly_correct", "incorrect"], allow_null=True, help_text="Null before review."
    )
    explanation = serializers.CharField(required=False, allow_blank=True, help_text=ANSWER_ONLY)
    accepted_answers = serializers.ListField(child=serializers.CharField(), required=False, help_text=ANSWER_ONLY)
    correct_order = serializers.ListField(child=serializers.CharField(), required=False, help_text=ANSWER_ONLY)

    def to_representation(self, instance) -> dict:
        data = super().to_representation(instance)
        if not instance.review:  # the answer key is never sent, not even empty, below the "answers" level
            for name in QUESTION_ANSWER_FIELDS:
                data.pop(name, None)
            for option in data["options"]:
                for name in OPTION_ANSWER_FIELDS:
                    option.pop(name, None)
        return data


class AttemptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    quiz_id = serializers.IntegerField()
    quiz_title = serializers.CharField(source="quiz.title")
    number = serializers.IntegerField()
    status = serializers.ChoiceField(choices=AttemptStatus.choices)
    started_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    remaining_seconds = serializers.SerializerMethodField()
    score = serializers.DecimalField(max_digits=8, decimal_places=3, allow_null=True)
    max_score = serializers.DecimalField(max_digits=8, decimal_places=3)
    percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    passed = serializers.BooleanField(allow_null=True)
    review = serializers.SerializerMethodField(
        help_text="none: the score only; correctness: right or wrong per question; answers: the answer key too."
    )
    review_allowed = serializers.SerializerMethodField(help_text="True when the answers are shown.")
    questions = serializers.SerializerMethodField()

    def _review(self, attempt: Attempt) -> selectors.ReviewLevel:
        if not hasattr(attempt, "_api_review"):
            attempt._api_review = selectors.attempt_review_level(attempt)  # type: ignore[attr-defined]
        return attempt._api_review  # type: ignore[attr-defined]

    def get_remaining_seconds(self, attempt: Attempt) -> int | None:
        return selectors.attempt_remaining_seconds(attempt) if attempt.is_open else None

    @extend_schema_field(serializers.ChoiceField(choices=[level.value for level in selectors.ReviewLevel]))
    def get_review(self, attempt: Attempt) -> str:
        return self._review(attempt).value

    def get_review_allowed(self, attempt: Attempt) -> bool:
        return self._review(attempt) == selectors.ReviewLevel.ANSWERS

    @extend_schema_field(QuestionSerializer(many=True))
    def get_questions(self, attempt: Attempt) -> list[dict]:
        views = selectors.attempt_question_views(attempt, review=self._review(attempt))
        return QuestionSerializer(views, many=True).data


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {
            "oneOf": [
                {"type": "array", "items": {"type": "integer", "minimum": 0, "nullable": True}},
                {"type": "string", "maxLength": 200},
            ],
            "nullable": True,
        },
        "example": {"1": [0], "2": [1, 3], "3": "119", "4": [2, 0, 1]},
    }
)
class AnswersField(serializers.Field):
    """{"<question position>": answer}: a list of option indexes (single, true/false, multiple), the text (fill),
    or one option index per place (ordering); null or [] clears an answer."""

    # Raised here rather than through DRF's default_error_messages: `fail()` formats with str.format, which would
    # leave the %-placeholders of our catalogue unfilled, and a class attribute would be translated once, at import.
    def to_internal_value(self, data: Any) -> dict[int, Any]:
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                _("Send the answers as an object keyed by question position."), code="not_object"
            )
        if len(data) > MAX_ANSWERS:
            raise serializers.ValidationError(
                _("Send at most %(max)d answers at once.") % {"max": MAX_ANSWERS}, code="too_many"
            )
        answers: dict[int, Any] = {}
        for key, value in data.items():
            text = str(key)
            if not (text.isascii() and text.isdigit() and 0 < len(text) <= 4):
                raise serializers.ValidationError(
                    _("“%(value)s” is not a question position.") % {"value": text[:20]}, code="position"
                )
            answers[int(text)] = value
        return answers

    def to_representation(self, value: Any) -> Any:
        return value


class AnswersRequestSerializer(serializers.Serializer):
    answers = AnswersField()


class SubmissionRequestSerializer(serializers.Serializer):
    answers = AnswersField(required=False, help_text="Optional: answers to save with the submission.")


class SavedSerializer(serializers.Serializer):
    saved = serializers.IntegerField()
    remaining_seconds = serializers.IntegerField(allow_null=True)


def own_attempt(request, attempt_id: int) -> Attempt:
    """The caller's own attempt; anyone else's is a 404 (the permission service decides)."""
    return own_attempt_or_404(request.user, attempt_id)


def attempt_closed_response(error: AttemptClosed) -> Response:
    return error_response(code="attempt_closed", detail=error.messages[0], status_code=status.HTTP_409_CONFLICT)


def invalid_answer_response(error: InvalidAnswer) -> Response:
    return error_response(code="invalid", detail=error.messages[0], fields={"answers": list(error.messages)})


class AttemptDetailView(APIView):
    """One of the caller's attempts: questions as shown (no answer data unless the review policy allows it)."""

    @extend_schema(responses=AttemptSerializer, tags=["attempts"])
    def get(self, request, attempt_id: int):
        return Response(AttemptSerializer(own_attempt(request, attempt_id)).data)


class AttemptAnswersView(APIView):
    """Autosave answers of an open attempt (idempotent). Keys are question positions; options are display indexes."""

    @extend_schema(
        request=AnswersRequestSerializer,
        responses={200: SavedSerializer, 409: OpenApiResponse(description="The attempt is closed.")},
        tags=["attempts"],
    )
    def put(self, request, attempt_id: int):
        attempt = own_attempt(request, attempt_id)
        serializer = AnswersRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            answers = serializer.validated_data["answers"]
            saved = attempt_save_answers(attempt=attempt, user=request.user, answers=answers)
        except AttemptClosed as error:
            return attempt_closed_response(error)
        except InvalidAnswer as error:
            return invalid_answer_response(error)
        return Response({"saved": saved, "remaining_seconds": selectors.attempt_remaining_seconds(attempt)})


class AttemptSubmissionView(APIView):
    """Submit the attempt once (optionally with final answers); it is graded on the server. A second submit is 409."""

    @extend_schema(
        request=SubmissionRequestSerializer,
        responses={200: AttemptSerializer, 409: OpenApiResponse(description="Already submitted.")},
        tags=["attempts"],
    )
    def post(self, request, attempt_id: int):
        attempt = own_attempt(request, attempt_id)
        serializer = SubmissionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            answers = serializer.validated_data.get("answers")
            graded = attempt_submit(attempt=attempt, user=request.user, answers=answers)
        except AttemptClosed as error:
            return attempt_closed_response(error)
        except InvalidAnswer as error:
            return invalid_answer_response(error)
        return Response(AttemptSerializer(graded).data)


urlpatterns = [
    path("attempts/<int:attempt_id>/", AttemptDetailView.as_view(), name="attempt-detail"),
    path("attempts/<int:attempt_id>/answers/", AttemptAnswersView.as_view(), name="attempt-answers"),
    path("attempts/<int:attempt_id>/submission/", AttemptSubmissionView.as_view(), name="attempt-submission"),
]
