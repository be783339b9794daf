"""LESSON_MIN_READING_FRACTION=0 from the environment turns the minimum reading time off (demos, API clients)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _fraction(environment: dict[str, str]) -> str:
    code = "from django.conf import settings; print(settings.LESSON_MIN_READING_FRACTION)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.dev", **environment}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


@pytest.mark.parametrize(("value", "expected"), [("0", "0.0"), ("0.25", "0.25")])
def test_the_environment_sets_the_minimum_reading_fraction(value, expected):
    assert _fraction({"LESSON_MIN_READING_FRACTION": value}) == expected
