"""Certificates API: the public verification endpoint, the caller's certificates with PDF links, and the PDF itself
(holder or issuer only; anyone else gets 404). Mounted by lms/api.py."""

from __future__ import annotations

import json

from django.http import FileResponse, Http404
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import get_object_for_user_or_404, user_can
from certificates import services
from certificates.models import Certificate, CertificateStatus
from certificates.rendering import verify_url
from certificates.selectors import certificate_for_verification, certificates_for_learner
from core.ratelimit import SimpleRateThrottle, verify_rate


class VerifyRateThrottle(SimpleRateThrottle):
    """Per client address, the same allowance as the HTML page (CERTIFICATES_VERIFY_RATE)."""

    scope = "certificate_verify"

    def get_rate(self) -> str:
        limit, window = verify_rate()
        return f"{limit}/{window}s"

    def parse_rate(self, rate):
        limit, window = verify_rate()
        return limit, window

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class VerificationSerializer(serializers.Serializer):
    code = serializers.CharField(source="verification_code")
    number = serializers.CharField()
    status = serializers.SerializerMethodField()
    valid = serializers.SerializerMethodField()
    holder = serializers.SerializerMethodField(help_text="The holder's name, partly masked.")
    title = serializers.SerializerMethodField()
    certified = serializers.SerializerMethodField()
    issuer = serializers.SerializerMethodField()
    issued_on = serializers.SerializerMethodField()
    valid_until = serializers.DateField(allow_null=True)
    revoked_on = serializers.SerializerMethodField()
    replaced_by = serializers.SerializerMethodField()
    verify_url = serializers.SerializerMethodField()

    def get_status(self, certificate) -> str:
        return certificate.current_status()

    def get_valid(self, certificate) -> bool:
        return certificate.is_valid

    def get_holder(self, certificate) -> str:
        return certificate.context.get("holder_masked_name", "")

    def get_title(self, certificate) -> str:
        return certificate.context.get("title", "")

    def get_certified(self, certificate) -> str:
        context = certificate.context
        return context.get("certified") or context.get("school_year") or context.get("service_hours", "")

    def get_issuer(self, certificate) -> str:
        return certificate.context.get("issuer_name", "")

    def get_issued_on(self, certificate) -> str:
        return certificate.context.get("issued_on", "")

    def get_revoked_on(self, certificate) -> str | None:
        from django.utils import timezone

        return timezone.localdate(certificate.revoked_at).isoformat() if certificate.revoked_at else None

    def get_replaced_by(self, certificate) -> str | None:
        successor = certificate.successor
        return verify_url(successor.verification_code) if successor else None

    def get_verify_url(self, certificate) -> str:
        return verify_url(certificate.verification_code)


class VerifyAPIView(APIView):
    """Verify a certificate by the code in its QR code. Unknown codes get 404. Rate-limited per client."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [VerifyRateThrottle]

    @extend_schema(responses=VerificationSerializer)
    def get(self, request, code: str):
        certificate = certificate_for_verification(code=code)
        if certificate is None:
            raise Http404
        response = Response(VerificationSerializer(certificate).data)
        response["Cache-Control"] = "no-store"
        return response


class MyCertificateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    status = serializers.SerializerMethodField(help_text="valid, revoked or expired, as of today.")
    issued_at = serializers.DateTimeField()
    valid_until = serializers.DateField(allow_null=True)
    verification_code = serializers.CharField()
    verify_url = serializers.SerializerMethodField(help_text="The public page the QR code points to.")
    verify_api_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField(help_text="GET with the same token for the PDF.")

    def get_status(self, certificate) -> str:
        return CertificateStatus(certificate.current_status()).value

    def get_verify_url(self, certificate) -> str:
        return verify_url(certificate.verification_code)

    def get_verify_api_url(self, certificate) -> str:
        return self._absolute(reverse("api:certificate-verify", args=[certificate.verification_code]))

    def get_pdf_url(self, certificate) -> str:
        return self._absolute(reverse("api:certificate-pdf", args=[certificate.pk]))

    def _absolute(self, url: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class MyCertificatesView(GenericAPIView):
    """The caller's current certificates, newest first, each with its PDF and verification links."""

    serializer_class = MyCertificateSerializer

    @extend_schema(responses=MyCertificateSerializer(many=True), tags=["me"])
    def get(self, request):
        page = self.paginate_queryset(certificates_for_learner(user=request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class PdfRenderer(BaseRenderer):
    """Lets clients ask for application/pdf; the PDF itself is a FileResponse, errors stay JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data).encode() if data is not None else b""


class CertificatePdfView(APIView):
    """The certificate's PDF (rendered again on demand if it is missing). Its holder and its issuer only."""

    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF.")},
        tags=["me"],
    )
    def get(self, request, certificate_id: int):
        certificate = get_object_for_user_or_404(
            request.user, "view", Certificate.objects.select_related("definition"), pk=certificate_id
        )
        if certificate.learner_id != request.user.pk and not user_can(request.user, "issue_certificates", certificate):
            raise Http404
        certificate = services.certificate_render_pdf(certificate=certificate)
        response = FileResponse(
            certificate.pdf.open("rb"), filename=f"{certificate.number}.pdf", content_type="application/pdf"
        )
        response["Cache-Control"] = "private, no-store"
        return response


urlpatterns = [
    path("verify/<str:code>/", VerifyAPIView.as_view(), name="certificate-verify"),
    path("me/certificates/", MyCertificatesView.as_view(), name="me-certificates"),
    path("certificates/<int:certificate_id>/pdf/", CertificatePdfView.as_view(), name="certificate-pdf"),
]
