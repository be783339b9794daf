"""drf-spectacular hooks: the public schema covers /api/ only (Wagtail's admin API is internal), and every
operation documents the one error shape for the errors any call may meet."""

ERROR_SCHEMA = {
    "type": "object",
    "description": 'Every error: {"error": code, "detail": message, "fields": {field: [messages]}}.',
    "properties": {
        "error": {"type": "string", "description": "A short code: invalid, not_found, not_authenticated, ..."},
        "detail": {"type": "string", "description": "A message fit to show the user."},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Messages per input field (for 400 invalid).",
        },
    },
    "required": ["error", "detail", "fields"],
}
COMMON_ERRORS = {
    "400": "Invalid input: the fields say which and why.",
    "401": "Not authenticated, or a wrong token.",
    "403": "Not allowed (objects the caller may not see are 404 instead).",
    "404": "Not found, or not the caller's to see.",
    "429": "Too many requests: wait and retry (Retry-After).",
}


def only_public_api(endpoints):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]


def document_errors(result, generator, request, public):
    """Add the Error component and the common error responses to every operation (postprocessing hook)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    error_content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for code, description in COMMON_ERRORS.items():
                responses.setdefault(code, {"description": description})
            for code, response in responses.items():
                if code.startswith(("4", "5")) and "content" not in response:
                    response["content"] = error_content
    return result
