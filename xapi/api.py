"""xAPI statements from the API: the caller's own, and an organisation's for those who see its reports."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView

from accounts.models import Organization
from accounts.permissions import get_object_for_user_or_404
from xapi.selectors import statements_of_organization, statements_of_user


class StatementSerializer(serializers.Serializer):
    """The stored statement as an LRS would return it (xAPI 1.0.3), plus whether it reached the LRS."""

    id = serializers.UUIDField()
    statement = serializers.JSONField(help_text="The xAPI statement: actor (volunteer number), verb, object, result.")
    stored = serializers.DateTimeField(source="stored_at")
    forwarded_at = serializers.DateTimeField(allow_null=True)


class MyStatementsView(GenericAPIView):
    """The caller's xAPI statements (lesson completed, quiz passed/failed, course completed), newest first."""

    serializer_class = StatementSerializer

    @extend_schema(responses=StatementSerializer(many=True), tags=["xapi"])
    def get(self, request):
        page = self.paginate_queryset(statements_of_user(user=request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class OrganizationStatementsView(GenericAPIView):
    """The xAPI statements of an organisation's learners (coordinators who see its reports)."""

    serializer_class = StatementSerializer

    @extend_schema(responses=StatementSerializer(many=True), tags=["xapi"])
    def get(self, request, organization_id: int):
        organization = get_object_for_user_or_404(
            request.user, "view_reports", Organization.objects.all(), pk=organization_id
        )
        page = self.paginate_queryset(statements_of_organization(organization=organization))  # type: ignore[arg-type]
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


urlpatterns = [
    path("me/xapi/statements/", MyStatementsView.as_view(), name="me-xapi-statements"),
    path(
        "organizations/<int:organization_id>/xapi/statements/",
        OrganizationStatementsView.as_view(),
        name="org-xapi-statements",
    ),
]
