"""The PDF: embedded CJK fonts, a QR code that decodes to the verify URL, and a fetcher that reads nothing else."""

import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from certificates.rendering import ASSET_ORIGIN, RestrictedURLFetcher, render_certificate_pdf, verify_url
from certificates.services import certificate_issue_for_completion, certificate_render_pdf
from tests.certificates.factories import complete, course_with_definition
from tests.conftest import has_program

pytestmark = pytest.mark.django_db

needs_poppler = pytest.mark.skipif(not has_program("pdffonts"), reason="needs poppler-utils (make test installs it)")
needs_zbar = pytest.mark.skipif(not has_program("zbarimg"), reason="needs zbar-tools (make test installs it)")


def _issue(cast, **definition_fields):
    _curriculum, course, _definition = course_with_definition(cast.base_x, **definition_fields)
    return certificate_issue_for_completion(completion=complete(cast.learner, course))[0]


def _pdf_file(certificate, tmp_path) -> Path:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(certificate_render_pdf(certificate=certificate).pdf.read())
    return path


@needs_poppler
def test_the_pdf_embeds_noto_cjk_regular_and_bold(cast, tmp_path):
    path = _pdf_file(_issue(cast), tmp_path)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    cjk_lines = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk_lines, fonts
    assert all(" yes yes " in line for line in cjk_lines), fonts  # embedded and subset
    assert any("Bold" in line for line in cjk_lines), fonts
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "842 x 595" in info or "841.89 x 595.276" in info, info  # A4 landscape in points
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "张学员" in text and "X 培训基地" in text


@needs_poppler
@needs_zbar
def test_the_qr_code_decodes_to_the_verify_url(cast, tmp_path):
    certificate = _issue(cast)
    path = _pdf_file(certificate, tmp_path)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(path), str(tmp_path / "page")], check=True)
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(tmp_path / "page.png")], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert decoded == f"http://testserver/verify/{certificate.verification_code}/"
    assert decoded == verify_url(certificate.verification_code)


@needs_poppler
def test_a_layout_pointing_at_local_files_renders_without_them(cast, tmp_path):
    layout = (
        '<h1>{{ c.title }}</h1><img src="file:///etc/passwd">'
        '<a rel="attachment" href="file:///etc/passwd">passwd</a>'
        '<img src="http://127.0.0.1:9/tracker.png"><link rel="stylesheet" href="/etc/passwd">'
        f'<img src="{ASSET_ORIGIN}/media/../../../../etc/passwd">'
    )
    certificate = _issue(cast, layout_html=layout)
    fetcher = RestrictedURLFetcher(media=True)
    pdf = render_certificate_pdf(certificate=certificate, fetcher=fetcher)
    assert pdf.startswith(b"%PDF")
    assert "file:///etc/passwd" in fetcher.refused
    assert "http://127.0.0.1:9/tracker.png" in fetcher.refused
    assert f"{ASSET_ORIGIN}/etc/passwd" in fetcher.refused  # the relative link, resolved against the asset origin
    path = tmp_path / "layout.pdf"
    path.write_bytes(pdf)
    attachments = subprocess.run(["pdfdetach", "-list", str(path)], capture_output=True, text=True).stdout
    assert "passwd" not in attachments
    assert b"root:x:0:0" not in pdf
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "root:" not in text


def test_the_fetcher_serves_data_uris_and_packaged_static_files_only(tmp_path):
    fetcher = RestrictedURLFetcher(media=True)
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    css = next(Path(directory) for directory in settings.STATICFILES_DIRS) / "css" / "site.css"
    assert fetcher.fetch(f"{ASSET_ORIGIN}/static/css/site.css").read() == css.read_bytes()
    for url in (
        "file:///etc/passwd",
        "https://example.com/a.png",
        f"{ASSET_ORIGIN}/static/../../../../etc/passwd",
        f"{ASSET_ORIGIN}/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        f"{ASSET_ORIGIN}/etc/passwd",
        f"{ASSET_ORIGIN}.example.com/static/css/site.css",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 6


def test_a_media_file_outside_media_root_is_refused_even_through_a_symlink(settings, tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    (media / "seal.png").write_bytes(b"\x89PNG fake")
    (media / "escape.png").symlink_to("/etc/passwd")
    settings.MEDIA_ROOT = str(media)
    fetcher = RestrictedURLFetcher(media=True)
    assert fetcher.fetch(f"{ASSET_ORIGIN}/media/seal.png").read() == b"\x89PNG fake"
    with pytest.raises(ValueError):
        fetcher.fetch(f"{ASSET_ORIGIN}/media/escape.png")


def test_a_missing_pdf_is_rendered_again(cast):
    certificate = certificate_render_pdf(certificate=_issue(cast))
    name = certificate.pdf.name
    certificate.pdf.storage.delete(name)
    again = certificate_render_pdf(certificate=certificate)
    assert again.pdf.storage.exists(again.pdf.name)
    assert again.events.filter(action="rendered").count() == 2
