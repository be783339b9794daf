"""A real worker is SIGKILLed in the middle of rendering a certificate; after a restart it exists exactly once.

The rendering service's test-only hold (certificates.rendering.TEST_RENDER_HOLD_ENV) makes the kill land
deterministically after the certificate row is committed and before its PDF is stored.
"""

from __future__ import annotations

import time

import pytest

from certificates.models import Certificate, CertificateEvent, CertificateNumberCounter
from certificates.rendering import TEST_RENDER_HOLD_ENV
from tests.certificates.factories import complete, course_with_definition

pytestmark = pytest.mark.integration


def _wait_for(predicate, *, timeout: float, what: str, worker) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}; worker log:\n{worker.log()}")


def test_a_worker_killed_while_rendering_leaves_exactly_one_certificate(
    celery_worker_process, cast, tmp_path, monkeypatch
):
    hold = tmp_path / "render-hold"
    hold.write_text("hold")
    monkeypatch.setenv(TEST_RENDER_HOLD_ENV, str(hold))
    celery_worker_process.stop()
    celery_worker_process.start()  # now with the hold

    _curriculum, course, _definition = course_with_definition(cast.base_x)
    complete(cast.learner, course)  # course_completed -> on commit -> the issuing task on the real worker

    reached = tmp_path / "render-hold.reached"
    _wait_for(reached.exists, timeout=120, what="the worker to start rendering", worker=celery_worker_process)
    certificate = Certificate.objects.get(learner=cast.learner)
    assert not certificate.pdf  # committed, not yet rendered

    celery_worker_process.kill()  # SIGKILL the worker's process group, mid-render

    # The restarted worker redelivers the unacknowledged task (acks_late + reject_on_worker_lost) at once.
    hold.unlink()
    monkeypatch.delenv(TEST_RENDER_HOLD_ENV)
    monkeypatch.setenv("CELERY_VISIBILITY_TIMEOUT", "1")
    time.sleep(1.1)  # the message must be older than the visibility timeout to be restored
    celery_worker_process.start()

    def rendered() -> bool:
        return bool(Certificate.objects.filter(learner=cast.learner).exclude(pdf="").exists())

    _wait_for(rendered, timeout=120, what="the redelivered task to render the PDF", worker=celery_worker_process)
    certificates = list(Certificate.objects.filter(learner=cast.learner))
    assert len(certificates) == 1
    assert certificates[0].pk == certificate.pk
    assert certificates[0].pdf.storage.exists(certificates[0].pdf.name)
    assert CertificateNumberCounter.objects.get(issuer=cast.base_x).last_number == 1  # no number lost or doubled
    assert CertificateEvent.objects.filter(certificate=certificate, action="issued").count() == 1
