"""A real Celery worker on Redis, sharing the test database (PostgreSQL), started as a subprocess per test."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from lms.celery import app as celery_app

PROJECT_DIR = Path(__file__).resolve().parents[2]


def _missing_reason() -> str | None:
    if not settings.CELERY_BROKER_URL:
        return "needs a real broker: set CELERY_BROKER_URL (as .ci/run does)"
    if not settings.USING_POSTGRESQL:
        return "needs PostgreSQL shared with the worker: set DATABASE_URL (as .ci/run does)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing_reason()
    for item in items:
        if "tests/integration/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.integration)
            # Only the tests with a real worker need the broker and PostgreSQL; the others start what they need.
            needs_worker = "celery_worker_process" in getattr(item, "fixturenames", ())
            if reason and needs_worker and not os.environ.get("CI"):
                item.add_marker(pytest.mark.skip(reason=reason))


def _database_url() -> str:
    database = settings.DATABASES["default"]
    user = database.get("USER") or "postgres"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{database['NAME']}"


class WorkerProcess:
    """A `celery worker` subprocess on a private queue; `kill()` sends SIGKILL, `start()` starts it again."""

    def __init__(self, queue: str, log_path: Path, concurrency: int = 1):
        self.queue = queue
        self.log_path = log_path
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "lms.settings.test",
                "DATABASE_URL": _database_url(),
                "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
                "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND or settings.CELERY_BROKER_URL,
                "CELERY_TASK_DEFAULT_QUEUE": self.queue,
                "MEDIA_ROOT": str(settings.MEDIA_ROOT),
                "CONN_MAX_AGE": "0",
            }
        )
        return env

    def start(self) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 - the subprocess owns it until it exits
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "lms",
                "worker",
                "-Q",
                self.queue,
                "--concurrency",
                str(self.concurrency),
                "--pool",
                "prefork",
                "--loglevel",
                "INFO",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--hostname",
                f"test-{self.queue}@%h",
            ],
            cwd=PROJECT_DIR,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"celery worker exited early:\n{self.log()}")
            if b"ready." in self.log_path.read_bytes():
                return
            time.sleep(0.3)
        raise RuntimeError(f"celery worker not ready after {timeout}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]

    def kill(self) -> None:
        """SIGKILL the whole worker process group, as a crash would."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path, settings):
    """A real worker on a private queue; tasks sent in the test go to it (not eager)."""
    reason = _missing_reason()
    if reason:
        pytest.fail(f"integration test cannot run: {reason}")
    queue = f"test-{uuid.uuid4().hex[:10]}"
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    worker = WorkerProcess(queue, tmp_path / "worker.log")
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
