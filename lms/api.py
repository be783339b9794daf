"""One DRF router that mounts each app's api module under /api/v1/ (ARCHITECTURE.md)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

# Each app contributes `urlpatterns` from its api module as the API issue grows.
api_v1_patterns: list = []

urlpatterns = [
    path("api/v1/", include((api_v1_patterns, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
