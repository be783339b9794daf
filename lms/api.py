"""One DRF entry point that mounts each app's api module under /api/v1/ (docs/architecture.md).

Each app's `api.py` exposes `urlpatterns`; they are listed here, lowest layer first. Nothing imports this module.
"""

from importlib import import_module

from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.api_errors import api_not_found

API_MODULES = [
    "accounts.api",
    "schools.api",
    "content.api",
    "assessments.api",
    "courses.api",
    "badges.api",
    "certificates.api",
    "xapi.api",
    "exchange.api",
]

api_v1_patterns: list = []
for module_name in API_MODULES:
    api_v1_patterns += import_module(module_name).urlpatterns

urlpatterns = [
    path("api/v1/", include((api_v1_patterns, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Anything else under /api/ is a JSON 404 for every method, before Wagtail's catch-all (and its CSRF check).
    re_path(r"^api/", csrf_exempt(api_not_found), name="api-not-found"),
]
