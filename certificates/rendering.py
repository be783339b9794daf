"""The certificate PDF: WeasyPrint, A4 landscape, Noto CJK, a segno QR code to /verify/<code>/.

WeasyPrint only ever sees what `core.pdf.RestrictedURLFetcher(media=True)` allows: data: URIs, and this project's own
static and media files addressed as ASSET_ORIGIN/static/... or ASSET_ORIGIN/media/... and resolved by path inside
those directories. file://, http(s):// and everything else is refused, so neither a layout nor user data can read
local files or reach the network. The layout itself renders in the sandbox of certificates.layouts.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from certificates.layouts import layout_html_errors, plain_fields, render_layout, standard_layout
from core.pdf import ASSET_ORIGIN, HTML, RestrictedURLFetcher, font_configuration

logger = logging.getLogger(__name__)


# Test-only hook (tests/integration/test_certificates_worker_crash.py): when this environment variable names a file
# path, rendering writes "<path>.reached" and waits while <path> exists, so that a test can SIGKILL the worker in
# the middle of rendering. If <path> holds a number N, the first N renderings of the process pass (a bulk job is
# then killed at its learner N + 1). Unset in every real deployment, where it changes nothing.
TEST_RENDER_HOLD_ENV = "CERTIFICATES_TEST_RENDER_HOLD"
TEST_RENDER_HOLD_MAX_SECONDS = 300
_test_renderings = 0


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
    global _test_renderings
    hold = os.environ.get(TEST_RENDER_HOLD_ENV)
    if not hold:
        return
    _test_renderings += 1
    passing = Path(hold).read_text().strip() if Path(hold).exists() else ""
    if passing.isdigit() and _test_renderings <= int(passing):
        return
    Path(f"{hold}.reached").write_text(str(certificate.pk))
    deadline = time.monotonic() + TEST_RENDER_HOLD_MAX_SECONDS
    while Path(hold).exists() and time.monotonic() < deadline:
        time.sleep(0.2)


def layout_fields(*, certificate) -> dict[str, Any]:
    """What a layout sees: plain strings and numbers only, never the certificate, its holder or a queryset."""
    definition = certificate.definition
    url = verify_url(certificate.verification_code)
    return {
        "c": plain_fields(certificate.context | {"number": certificate.number}),
        "kind": str(definition.kind),
        "verify_url": url,
        "qr_data_uri": qr_data_uri(url),
        "seal_url": _image_asset_url(definition.seal_image),
        "person_in_charge_signature_url": _image_asset_url(definition.person_in_charge_signature),
        "handler_signature_url": _image_asset_url(definition.handler_signature),
    }


def _layout_body(*, certificate, fields: dict[str, Any]) -> str:
    """The definition's layout if it passes the CMS check (one saved before the check may not), else the standard."""
    definition = certificate.definition
    source = definition.layout_html
    if source.strip():
        errors = layout_html_errors(source)
        if not errors:
            return render_layout(source, fields)
        logger.warning("certificate %s: layout of definition %s refused: %s", certificate.pk, definition.pk, errors)
    return render_layout(standard_layout(definition.kind), fields)


def certificate_html(*, certificate) -> str:
    """The HTML document WeasyPrint renders (also handy to preview a layout)."""
    fields = layout_fields(certificate=certificate)
    with translation.override("zh-hans"):
        body = _layout_body(certificate=certificate, fields=fields)
        # Inside <style>, "<" could end the element; stored CSS saved before the CMS check gets it escaped.
        css = certificate.definition.layout_css.replace("<", "\\3c ")
        return render_to_string("certificates/pdf/document.html", {**fields, "body": body, "extra_css": css})


def render_certificate_pdf(*, certificate, fetcher: RestrictedURLFetcher | None = None) -> bytes:
    html = certificate_html(certificate=certificate)
    _hold_for_tests(certificate)
    fetcher = fetcher or RestrictedURLFetcher(media=True)
    document = HTML(string=html, base_url=f"{ASSET_ORIGIN}/", url_fetcher=fetcher)
    pdf = document.write_pdf(font_config=font_configuration())
    if fetcher.refused:
        logger.warning("certificate %s: refused to fetch %s", certificate.pk, fetcher.refused)
    return pdf
