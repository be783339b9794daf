"""The Content-Security-Policy header (django-csp) and its exceptions (docs/decisions/0023-content-security-policy.md).

The site's policy (settings.CONTENT_SECURITY_POLICY) allows scripts and styles from our own origin only. Wagtail's
admin runs inline scripts (inline panels, date pickers) and styles, and Swagger UI too, none of which we can give a
nonce: under CONTENT_SECURITY_POLICY_INLINE_PREFIXES both directives also allow 'unsafe-inline'."""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if getattr(request, "is_dummy", False):
            # Wagtail renders a preview through the whole middleware chain with a made-up request for the page's own
            # URL; the site's policy applies, except that the admin's preview panel frames it.
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
            return parts
        prefixes = tuple(getattr(settings, "CONTENT_SECURITY_POLICY_INLINE_PREFIXES", ()))
        if prefixes and request.path_info.startswith(prefixes):
            directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
            parts.replace = {
                **(parts.replace or {}),
                # Inline code is allowed here only without a nonce or hash beside it: either would void it.
                "script-src": [SELF, UNSAFE_INLINE],
                "style-src": [SELF, UNSAFE_INLINE],
                "img-src": [*directives.get("img-src", [SELF]), "blob:"],
                "frame-ancestors": [SELF],  # Wagtail's preview panel frames the page it previews
            }
        return parts
