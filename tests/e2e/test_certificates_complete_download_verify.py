"""In a real browser: complete a course, download the certificate, open the verify URL read from its QR code."""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from certificates.models import Certificate
from tests.certificates.factories import course_with_definition
from tests.conftest import has_program
from tests.e2e.conftest import login_through_page

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not (has_program("pdftoppm") and has_program("zbarimg")), reason="needs poppler-utils, zbar"),
]


def test_complete_a_course_download_the_certificate_and_verify_it_from_the_qr_code(
    page, cast, live_server, settings, tmp_path
):
    settings.LESSON_MIN_READING_FRACTION = 0  # no reading-time wait in the browser
    settings.CERTIFICATES_VERIFY_BASE_URL = live_server.url
    _curriculum, course, _definition = course_with_definition(cast.base_x)

    login_through_page(page, cast.learner.username, cast.password)
    page.goto(course.get_url())
    page.get_by_test_id("enrol").click()  # enrolling resumes at the first lesson
    page.get_by_test_id("lesson-done").click()
    expect(page).to_have_url(re.compile(r"/learn/enrolments/\d+/$"))

    page.goto("/certificates/")
    with page.expect_download() as download_info:
        page.get_by_test_id("download-certificate").first.click()
    pdf_path = tmp_path / "certificate.pdf"
    download_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")

    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf_path), str(tmp_path / "page")], check=True)
    verify_url = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(tmp_path / "page.png")], capture_output=True, text=True, check=True
    ).stdout.strip()
    certificate = Certificate.objects.get(learner=cast.learner)
    assert verify_url == f"{live_server.url}/verify/{certificate.verification_code}/"

    page.goto(verify_url)
    expect(page.get_by_test_id("verify-status")).to_have_class(re.compile("badge-success"))
    expect(page.get_by_test_id("verify-holder")).to_have_text("张*员")
    expect(page.get_by_text(certificate.number)).to_be_visible()
