"""Absolute public URLs of badges, issuers and awards (credential ids must be absolute and stable)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB3_SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential-jsonschema1.json"
OB2_CONTEXT = "https://w3id.org/openbadges/v2"


def base_url() -> str:
    base = (
        getattr(settings, "OPEN_BADGES_BASE_URL", "")
        or getattr(settings, "CERTIFICATES_VERIFY_BASE_URL", "")
        or settings.WAGTAILADMIN_BASE_URL
    )
    return base.rstrip("/")


def absolute(name: str, **kwargs) -> str:
    return base_url() + reverse(f"badges:{name}", kwargs=kwargs or None)
