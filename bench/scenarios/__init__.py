"""One module per scenario: TITLE and run(quick) -> (results, notes). Helpers shared by several scenarios."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def queries_of(function: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


def get_ok(client: Client, url: str) -> Callable[[], object]:
    """A timed GET that fails loudly: a benchmark of an error page would measure nothing useful."""

    def fetch() -> object:
        response = client.get(url)
        if response.status_code != 200:
            raise AssertionError(f"GET {url} answered {response.status_code}")
        return response

    return fetch


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0
