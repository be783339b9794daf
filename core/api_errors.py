"""One error shape for the whole API: {"error": code, "detail": message, "fields": {field: [messages]}}."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def _flatten(detail) -> list[str]:
    if isinstance(detail, list):
        return [str(item) for sub in detail for item in _flatten(sub)]
    if isinstance(detail, dict):
        return [str(item) for sub in detail.values() for item in _flatten(sub)]
    return [str(detail)]


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, DjangoPermissionDenied):
        # An object the user may not touch is reported as missing (ARCHITECTURE: outsiders get 404).
        exc = exceptions.NotFound()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    if request is not None:
        # Errors are JSON whatever the client asked for (a PDF, a CSV): one shape, one media type.
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        fields = {}
        messages: list[str] = []
        if isinstance(detail, dict):
            for field, value in detail.items():
                if field in ("non_field_errors", "__all__"):
                    messages.extend(_flatten(value))
                else:
                    fields[field] = _flatten(value)
        else:
            messages = _flatten(detail)
        summary = "; ".join(messages) or "; ".join(f"{field}: {' '.join(value)}" for field, value in fields.items())
        response.data = {"error": "invalid", "detail": summary or "Invalid input.", "fields": fields}
        return response
    code = getattr(exc, "default_code", "error")
    detail = getattr(exc, "detail", str(exc))
    response.data = {"error": code, "detail": " ".join(_flatten(detail)), "fields": {}}
    return response


def error_response(*, code: str, detail: str, status_code: int = status.HTTP_400_BAD_REQUEST, fields=None):
    return Response({"error": code, "detail": detail, "fields": fields or {}}, status=status_code)


def api_not_found(request, exception=None):
    """handler404 for /api/ paths: the same JSON shape as every other API error."""
    return JsonResponse({"error": "not_found", "detail": "Not found.", "fields": {}}, status=404)
