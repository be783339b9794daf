"""The certificate PDF: WeasyPrint, A4 landscape, Noto CJK, a segno QR code to /verify/<code>/.

WeasyPrint only ever sees what `core.pdf.RestrictedURLFetcher(media=True)` allows: data: URIs, and this project's own
static and media files addressed as ASSET_ORIGIN/static/... or ASSET_ORIGIN/media/... and resolved by path inside
those directories. file://, http(s):// and everything else is refused, so neither a layout nor user data can read
local files or reach the network.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import segno
from django.conf import settings
from django.template import engines
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.pdf import ASSET_ORIGIN, HTML, RestrictedURLFetcher, font_configuration

logger = logging.getLogger(__name__)


# Test-only hook (tests/integration/test_certificates_worker_crash.py): when this environment variable names a file
# path, rendering writes "<path>.reached" and waits while <path> exists, so that a test can SIGKILL the worker in
# the middle of rendering. Unset in every real deployment, where it changes nothing.
TEST_RENDER_HOLD_ENV = "CERTIFICATES_TEST_RENDER_HOLD"
TEST_RENDER_HOLD_MAX_SECONDS = 300


def verify_url(code: str) -> str:
    base = getattr(settings, "CERTIFICATES_VERIFY_BASE_URL", "") or settings.WAGTAILADMIN_BASE_URL
    return base.rstrip("/") + reverse("certificates:verify", kwargs={"code": code})


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2, dark="#000")


def _image_asset_url(image) -> str:
    """An ASSET_ORIGIN URL for a Wagtail image's original file (stored under MEDIA_ROOT)."""
    if image is None or not image.file:
        return ""
    return f"{ASSET_ORIGIN}/media/{image.file.name}"


def _hold_for_tests(certificate) -> None:
    hold = os.environ.get(TEST_RENDER_HOLD_ENV)
    if not hold:
        return
    Path(f"{hold}.reached").write_text(str(certificate.pk))
    deadline = time.monotonic() + TEST_RENDER_HOLD_MAX_SECONDS
    while Path(hold).exists() and time.monotonic() < deadline:
        time.sleep(0.2)


def certificate_html(*, certificate) -> str:
    """The HTML document WeasyPrint renders (also handy to preview a layout)."""
    definition = certificate.definition
    context = {
        "certificate": certificate,
        "c": certificate.context,
        "kind": definition.kind,
        "verify_url": verify_url(certificate.verification_code),
        "qr_data_uri": qr_data_uri(verify_url(certificate.verification_code)),
        "seal_url": _image_asset_url(definition.seal_image),
        "person_in_charge_signature_url": _image_asset_url(definition.person_in_charge_signature),
        "handler_signature_url": _image_asset_url(definition.handler_signature),
        "extra_css": definition.layout_css,
    }
    with translation.override("zh-hans"):
        if definition.layout_html.strip():
            context["body"] = engines["django"].from_string(definition.layout_html).render(context)
        else:
            context["body"] = render_to_string(f"certificates/pdf/{definition.kind}.html", context)
        return render_to_string("certificates/pdf/document.html", context)


def render_certificate_pdf(*, certificate, fetcher: RestrictedURLFetcher | None = None) -> bytes:
    html = certificate_html(certificate=certificate)
    _hold_for_tests(certificate)
    fetcher = fetcher or RestrictedURLFetcher(media=True)
    document = HTML(string=html, base_url=f"{ASSET_ORIGIN}/", url_fetcher=fetcher)
    pdf = document.write_pdf(font_config=font_configuration())
    if fetcher.refused:
        logger.warning("certificate %s: refused to fetch %s", certificate.pk, fetcher.refused)
    return pdf
