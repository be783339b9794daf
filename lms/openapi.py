"""drf-spectacular hooks: the public schema covers /api/ only (Wagtail's admin API is internal)."""


def only_public_api(endpoints):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]
