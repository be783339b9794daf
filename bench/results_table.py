"""The result rows and the table printed and written to bench/results/<date>.md."""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
from dataclasses import dataclass
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"
# Quick runs (the CI smoke test) are not results to keep: they go to the ignored bench/.data.
QUICK_RESULTS_DIR = Path(__file__).resolve().parent / ".data" / "results"


@dataclass
class Result:
    scenario: str
    metric: str
    ours: float | None
    baseline: float | None
    unit: str
    target: str  # e.g. "<= 2.0x", ">= 0.5x", "<= 50 MB", "info"
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.ours is None or self.baseline in (None, 0):
            return None
        return self.ours / self.baseline

    @property
    def passed(self) -> bool | None:
        target = self.target.strip()
        if target == "info":
            return None
        operator, number = target.split()[0], float(target.split()[1].rstrip("x"))
        value = self.ratio if target.endswith("x") else self.ours
        if value is None:
            return False
        return value <= number if operator == "<=" else value >= number


def _format(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "s":
        return f"{value * 1000:.2f} ms" if value < 1 else f"{value:.2f} s"
    if float(value).is_integer():
        return f"{int(value)} {unit}".strip()
    return f"{value:.2f} {unit}".strip()


def render(results: list[Result]) -> str:
    header = "| scenario | metric | ours | baseline | ratio | target | pass |\n|---|---|---|---|---|---|---|\n"
    rows = []
    for result in results:
        ratio = f"{result.ratio:.2f}x" if result.ratio is not None else "—"
        passed = {True: "pass", False: "FAIL", None: "—"}[result.passed]
        rows.append(
            f"| {result.scenario} | {result.metric} | {_format(result.ours, result.unit)} | "
            f"{_format(result.baseline, result.unit)} | {ratio} | {result.target} | {passed} |"
        )
    return header + "\n".join(rows) + "\n"


def machine_description(database: str) -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) // 1024 // 1024} GiB"
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = "?"
    return (
        f"- machine: {platform.node()} · {os.cpu_count()} cores · {cpu} · {memory}\n"
        f"- python {platform.python_version()} · {platform.platform()}\n"
        f"- database: {database}\n"
        f"- commit: {commit}\n"
    )


def write_results(results: list[Result], *, database: str, quick: bool, notes: list[str]) -> Path:
    directory = QUICK_RESULTS_DIR if quick else RESULTS_DIR
    directory.mkdir(parents=True, exist_ok=True)
    today = datetime.date.today().isoformat()
    name = f"{today}{'-quick' if quick else ''}{'' if database == 'postgresql' else '-' + database}.md"
    path = directory / name
    text = (
        f"# Benchmark results {today}{' (quick)' if quick else ''}\n\n"
        f"{machine_description(database)}\n"
        "Ratios are ours / baseline from the same run; medians unless the metric says otherwise.\n\n"
        f"{render(results)}\n"
    )
    if notes:
        text += "## Notes\n\n" + "\n".join(f"- {note}" for note in notes) + "\n"
    path.write_text(text, encoding="utf-8")
    return path
