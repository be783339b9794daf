from django.http import JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.api_errors import api_not_found
from lms.health import broker_status, database_status


@never_cache
@require_GET
def healthz(request):
    database_ok, database_detail = database_status()
    broker_ok, broker_detail = broker_status()
    healthy = database_ok and broker_ok
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "database": database_detail, "broker": broker_detail},
        status=200 if healthy else 503,
    )


def page_not_found(request, exception=None):
    """404 as JSON in the API's error shape under /api/, as the site's page elsewhere."""
    if request.path.startswith("/api/"):
        return api_not_found(request, exception)
    return defaults.page_not_found(request, exception)
