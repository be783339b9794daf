"""The certificate PDF: WeasyPrint, A4 landscape, Noto CJK, a segno QR code to /verify/<code>/.

WeasyPrint only ever sees what `RestrictedURLFetcher` allows: data: URIs, and this project's own static and media
files addressed as ASSET_ORIGIN/static/... or ASSET_ORIGIN/media/... and resolved by path inside those directories.
file://, http(s):// and everything else is refused, so neither a layout nor user data can read local files or reach
the network.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template import engines
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.pdf import font_configuration

# WeasyPrint logs every layout step (and, on import, its own stylesheets) at INFO: quiet it before importing it.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

logger = logging.getLogger(__name__)

# Never resolvable on a network (RFC 2606 .invalid): only the fetcher below gives it meaning.
ASSET_ORIGIN = "https://assets.certificate.invalid"

# Test-only hook (tests/integration/test_certificates_worker_crash.py): when this environment variable names a file
# path, rendering writes "<path>.reached" and waits while <path> exists, so that a test can SIGKILL the worker in
# the middle of rendering. Unset in every real deployment, where it changes nothing.
TEST_RENDER_HOLD_ENV = "CERTIFICATES_TEST_RENDER_HOLD"
TEST_RENDER_HOLD_MAX_SECONDS = 300


class RestrictedURLFetcher(URLFetcher):
    """Serves data: URIs and packaged assets only; records what it refused (tests read `refused`)."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, timeout=1, **kwargs)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = self._asset_path(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"certificate rendering may not fetch {url[:200]}")
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": _content_type(path)})

    @staticmethod
    def _asset_path(url: str) -> Path | None:
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != ASSET_ORIGIN or parts.query or parts.fragment:
            return None
        relative = unquote(parts.path)
        for prefix, roots in (("/static/", _static_roots()), ("/media/", [Path(settings.MEDIA_ROOT)])):
            if relative.startswith(prefix):
                name = relative[len(prefix) :]
                for root in roots:
                    candidate = (root / name).resolve()
                    if candidate.is_relative_to(root.resolve()) and candidate.is_file():
                        return candidate
        return None


def _static_roots() -> list[Path]:
    roots = [Path(directory) for directory in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    roots.extend(
        Path(storage.location) for finder in finders.get_finders() for _, storage in finder.list([]) if storage
    )
    return list(dict.fromkeys(roots))


def _content_type(path: Path) -> str:
    return {
        ".css": "text/css",
        ".png": "image/png",
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        ".svg": "image/svg+xml",
        ".webp": "image/webp",
    }.get(path.suffix.lower(), "application/octet-stream")


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
    fetcher = fetcher or RestrictedURLFetcher()
    document = HTML(string=html, base_url=f"{ASSET_ORIGIN}/", url_fetcher=fetcher)
    pdf = document.write_pdf(font_config=font_configuration())
    if fetcher.refused:
        logger.warning("certificate %s: refused to fetch %s", certificate.pk, fetcher.refused)
    return pdf
