"""Production settings refuse to start without their secrets, and pass `check --deploy` with them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "SECRET_KEY": "k" * 20 + "-production-secret-with-enough-entropy-9f8e7d6c5b4a",
    "DATABASE_URL": "sqlite:////tmp/lms-check-deploy.sqlite3",
    "ALLOWED_HOSTS": "volunteer.example.cn",
    "CACHE_URL": "redis://127.0.0.1:6379/5",  # rate limits shared by every worker (ADR 0021); nothing connects here
}


def run_manage(*args, env):
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' harness in this process; a deployment never has it.
    excluded = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {key: value for key, value in os.environ.items() if key not in excluded}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_no_issues():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr
