"""PDF rendering with WeasyPrint. The URL fetcher serves only our static files and data: URIs, so a rendered
document can never make the server read a local file or reach the network."""

from __future__ import annotations

import logging
import mimetypes
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

# WeasyPrint logs every layout step (and, on import, its own stylesheets) at INFO: quiet it before importing it.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

# Never resolvable on a network (RFC 2606 .invalid): only RestrictedURLFetcher gives it meaning. Documents are
# rendered against it, so `{% static %}` paths and uploaded images resolve to ASSET_ORIGIN/static/... and /media/....
ASSET_ORIGIN = "https://assets.lms.invalid"


class FetchRefused(ValueError):
    pass


class RestrictedURLFetcher(URLFetcher):
    """The one URL fetcher of every PDF: data: URIs and this project's static files, and with `media=True` (the
    certificates' seals and signatures) uploaded files, each resolved by path inside its directory. file://,
    http(s):// and everything else is refused; `refused` lists what was (tests and logs read it)."""

    def __init__(self, *, media: bool = False, **kwargs):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, timeout=1, **kwargs)
        self.media = media
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = self.asset_path(url)
        if path is None:
            self.refused.append(url)
            raise FetchRefused(f"PDF rendering may not fetch {url[:200]}")
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": _content_type(path)})

    def asset_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != ASSET_ORIGIN or parts.query or parts.fragment:
            return None
        relative = unquote(parts.path)
        places = [("/static/", _static_roots())]
        if self.media:
            places.append(("/media/", [Path(settings.MEDIA_ROOT)]))
        for prefix, roots in places:
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
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


_fonts = threading.local()


def font_configuration():
    """One WeasyPrint FontConfiguration per thread, reused across renders (certificates use it too).

    WeasyPrint builds a new one per write_pdf() by default, and each keeps its Pango font map (the CJK fonts) alive:
    about 3.7 MB more per PDF, 1.3 GB after 300 renders in one worker (bench scenario 3); shared, memory stays flat.
    """
    from weasyprint.text.fonts import FontConfiguration

    configuration = getattr(_fonts, "configuration", None)
    if configuration is None:
        configuration = _fonts.configuration = FontConfiguration()
    return configuration


def render_pdf(template_name: str, context: dict) -> bytes:
    html = render_to_string(template_name, context)
    document = HTML(string=html, base_url=f"{ASSET_ORIGIN}/", url_fetcher=RestrictedURLFetcher())
    return document.write_pdf(font_config=font_configuration())
