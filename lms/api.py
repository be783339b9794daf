"""One DRF entry point that mounts each app's api module under /api/v1/ (ARCHITECTURE.md).

Each app's `api.py` exposes `urlpatterns`; they are listed here, lowest layer first. Nothing imports this module.
"""

from importlib import import_module

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

API_MODULES = [
    "lms.accounts.api",
]

api_v1_patterns: list = []
for module_name in API_MODULES:
    api_v1_patterns += import_module(module_name).urlpatterns

urlpatterns = [
    path("api/v1/", include((api_v1_patterns, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
