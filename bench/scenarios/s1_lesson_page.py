"""Scenario 1: a lesson with 20 blocks and 30 internal links, uncached, against a bare view returning the same HTML
and against the same content as a lesson page of the `wagtail-lms` package (in a virtualenv of its own)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from django.test import Client

from bench import baselines, data
from bench.results_table import Result
from bench.scenarios import get_ok, queries_of
from bench.stats import Timing, interleaved
from courses.services.enrollment import enrollment_create

TITLE = "1 lesson page"
PEER_PACKAGE = "wagtail-lms==0.11.1"
ROOT = Path(__file__).resolve().parents[2]
PEER_VENV = ROOT / "bench" / ".data" / "peer-venv"
PEER_PYTHON = PEER_VENV / "bin" / "python"
PEER_DIR = ROOT / "bench" / "peers"
ROUNDS = 10


def _peer_install() -> str:
    """Create the peer's virtualenv with the project's Django and Wagtail pins; '' or the reason it failed."""
    if PEER_PYTHON.exists():
        check = subprocess.run([str(PEER_PYTHON), "-c", "import wagtail_lms"], capture_output=True)
        if check.returncode == 0:
            return ""
    commands = [
        ["python3.11", "-m", "venv", str(PEER_VENV)],
        [
            str(PEER_VENV / "bin" / "pip"),
            "install",
            "-q",
            "-c",
            str(ROOT / "requirements.txt"),
            PEER_PACKAGE,
            "Django",
            "wagtail",
            "dj-database-url",
            "psycopg[binary]",
        ],
    ]
    for command in commands:
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=600)
        except (OSError, subprocess.TimeoutExpired) as error:
            return f"{' '.join(command[:3])}: {error}"
        if result.returncode != 0:
            return f"{' '.join(command[:3])} failed: {(result.stderr or result.stdout).strip()[-300:]}"
    return ""


class Peer:
    """The peer's serve.py in its own virtualenv: one process, asked for timings in rounds."""

    def __init__(self, blocks: list[str]):
        env = {**os.environ, "PYTHONPATH": str(PEER_DIR), "DJANGO_SETTINGS_MODULE": "wagtail_lms_site.settings"}
        env.pop("VIRTUAL_ENV", None)
        self.process = subprocess.Popen(
            [str(PEER_PYTHON), str(PEER_DIR / "wagtail_lms_site" / "serve.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.info = self._ask(json.dumps({"blocks": blocks}))

    def _ask(self, line: str) -> dict:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            raise RuntimeError(f"the peer process ended (exit {self.process.wait()})")
        return json.loads(answer)

    def time(self, count: int) -> list[float]:
        return self._ask(f"time {count}")["samples"]

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin
            self.process.stdin.write("quit\n")
            self.process.stdin.flush()
            self.process.wait(timeout=120)


def run(quick: bool) -> tuple[list[Result], list[str]]:
    _base, course, lessons = data.course_tree(lessons=3)
    lesson = lessons[1]
    targets = [course.pk, *(page.pk for page in lessons)]
    lesson.body = data.lesson_body(targets)
    lesson.save_revision().publish()
    learner = data.user(data.unique("bench-learner-"), real_name="学员")
    enrollment_create(user=learner, course=course)
    client = Client()
    client.force_login(learner)
    ours = get_ok(client, lesson.url)
    html = ours().content.decode()  # type: ignore[attr-defined]
    if 'linktype="page"' in html or html.count('href="/') - html.count('href="/static') < 30:
        raise AssertionError("the lesson page did not expand its 30 internal links")
    baselines.STORED_HTML["lesson"] = html
    bare = get_ok(client, "/bench/bare-lesson/")
    queries = queries_of(ours)
    per_round = 10 if quick else 50
    rounds = 3 if quick else ROUNDS

    notes = []
    peer = None
    peer_reason = ""
    if quick and not PEER_PYTHON.exists():
        peer_reason = "quick run: the peer's virtualenv is not installed (the full run installs it)"
    else:
        peer_reason = _peer_install()
    if not peer_reason:
        try:
            peer = Peer(data.rich_text_blocks([-1, -2, -3, -4]))
        except (OSError, RuntimeError, ValueError) as error:
            peer_reason = f"the peer did not start: {error}"

    ours_samples: list[float] = []
    bare_samples: list[float] = []
    peer_samples: list[float] = []
    try:
        for _round in range(rounds):
            timings = interleaved({"ours": ours, "bare": bare}, repeat=per_round, warmup=2)
            ours_samples.extend(timings["ours"].samples)
            bare_samples.extend(timings["bare"].samples)
            if peer is not None:
                peer_samples.extend(peer.time(per_round))
    finally:
        if peer is not None:
            peer.close()
    ours_timing, bare_timing = Timing(tuple(ours_samples)), Timing(tuple(bare_samples))
    results = [
        Result(TITLE, "vs bare view, median", ours_timing.median, bare_timing.median, "s", "<= 2.0x"),
        Result(TITLE, "vs bare view, p95", ours_timing.p95, bare_timing.p95, "s", "info"),
        Result(TITLE, "queries", queries, None, "", "info", "logged-in, enrolled learner"),
    ]
    if peer is not None:
        peer_timing = Timing(tuple(peer_samples))
        results += [
            Result(TITLE, "vs wagtail-lms, median", ours_timing.median, peer_timing.median, "s", "<= 1.0x"),
            Result(TITLE, "vs wagtail-lms, p95", ours_timing.p95, peer_timing.p95, "s", "info"),
            Result(TITLE, "queries vs wagtail-lms", queries, peer.info["queries"], "", "info"),
        ]
        notes.append(
            f"scenario 1: wagtail-lms 0.11.1 (H5PLessonPage, the same 20 blocks as rich-text paragraphs with the same "
            f"30 internal links, {peer.info['links']} links rendered, {peer.info['bytes']:,} characters against our "
            f"{len(html):,}) in its own virtualenv and database, Django test Client in both, logged-in enrolled "
            f"learner in both, timed in {rounds} alternating rounds of {per_round}; its base template is minimal, "
            "ours is the site's full layout"
        )
    else:
        results.append(Result(TITLE, "vs wagtail-lms", None, None, "s", "<= 1.0x", f"not measured: {peer_reason}"))
        notes.append(f"scenario 1: wagtail-lms not measured: {peer_reason}")
    return results, notes
