"""Scenario 2: submitting a 20-question quiz under 50 concurrent clients, served by gunicorn, against a minimal
CSRF-protected POST that writes one row (bench/baselines.py). Checks that no attempt is lost or graded twice.

Loopback only: gunicorn binds 127.0.0.1 on a free port and is stopped at the end."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from django.conf import settings
from django.db import connection
from django.test import Client

from accounts.constants import OrganizationKind
from assessments.models import Attempt, AttemptQuestion, AttemptStatus, Question, QuestionBank, QuestionOption, Quiz
from assessments.services import attempt_start
from bench import data
from bench.models import BaselineRow
from bench.results_table import Result
from bench.stats import Timing
from xapi.models import XapiStatement

TITLE = "2 quiz submission"
ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = 20


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _quiz() -> Quiz:
    org = data.organization(kind=OrganizationKind.TRAINING_BASE, slug="bench-quiz-base", name="基准题库单位")
    bank = QuestionBank.objects.create(organization=org, key=data.unique("bank-"), title="心肺复苏题库")
    for index in range(QUESTIONS):
        question = Question.objects.create(
            bank=bank, key=f"q{index}", type="single", text=f"第{index + 1}题：哪一项正确？"
        )
        QuestionOption.objects.bulk_create(
            [
                QuestionOption(question=question, text=text, is_correct=text == "A", sort_order=order)
                for order, text in enumerate("ABCD")
            ]
        )
    return Quiz.objects.create(
        bank=bank,
        key=data.unique("quiz-"),
        title="心肺复苏测验",
        pass_mark=60,
        question_count=QUESTIONS,
        time_limit_minutes=0,
        standalone_open=True,
    )


class Learner:
    def __init__(self, base_url: str, user, attempt: Attempt | None):
        client = Client()
        client.force_login(user)
        self.session = requests.Session()
        self.session.cookies.set("sessionid", client.cookies[settings.SESSION_COOKIE_NAME].value, domain="127.0.0.1")
        response = self.session.get(f"{base_url}/bench/post-form/", timeout=30)
        response.raise_for_status()
        self.token = self.session.cookies["csrftoken"]
        self.attempt = attempt
        self.base_url = base_url

    def submit(self) -> tuple[float, int]:
        assert self.attempt is not None
        form = {"csrfmiddlewaretoken": self.token, "positions": [str(p) for p in range(1, QUESTIONS + 1)]}
        form.update({f"choice-{position}": "0" for position in range(1, QUESTIONS + 1)})
        start = time.perf_counter()
        response = self.session.post(
            f"{self.base_url}/assessments/attempts/{self.attempt.pk}/submit/",
            data=form,
            allow_redirects=False,
            timeout=120,
        )
        return time.perf_counter() - start, response.status_code

    def baseline(self) -> tuple[float, int]:
        start = time.perf_counter()
        response = self.session.post(
            f"{self.base_url}/bench/post/", data={"csrfmiddlewaretoken": self.token, "payload": "x" * 200}, timeout=120
        )
        return time.perf_counter() - start, response.status_code


def _phase(groups: list[list[Learner]], action: str) -> tuple[list[float], list[int], float]:
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(groups))

    def client_loop(group: list[Learner]) -> None:
        barrier.wait()
        for learner in group:
            latency, status = getattr(learner, action)()
            with lock:
                latencies.append(latency)
                statuses.append(status)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(groups)) as pool:
        list(pool.map(client_loop, groups))
    return latencies, statuses, time.perf_counter() - start


def run(quick: bool) -> tuple[list[Result], list[str]]:
    postgres = connection.vendor == "postgresql"
    clients = 50 if postgres and not quick else (8 if postgres else 4)
    per_client = 1 if quick else 4
    rounds = 2
    notes = []
    if not postgres:
        notes.append(
            "scenario 2: on SQLite writes are serialised by the database lock (one gunicorn worker), "
            "so concurrency is not meaningful"
        )
    quiz = _quiz()
    users = [data.user(data.unique("bench-quiz-"), real_name="答题学员") for _ in range(clients * per_client * rounds)]
    attempts = [attempt_start(quiz=quiz, user=user) for user in users]
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.bench",
        "BENCH_DATABASE_NAME": str(connection.settings_dict["NAME"]),
    }
    # As in production: with a broker, the work a submit sets off (xAPI statement, badge evaluation) is queued for a
    # Celery worker running beside gunicorn on the same machine; without one it runs inside the request (eager).
    with_worker = bool(settings.CELERY_BROKER_URL) and postgres
    worker = None
    if with_worker:
        env.update(CELERY_TASK_ALWAYS_EAGER="false", CELERY_TASK_DEFAULT_QUEUE=f"bench-{uuid.uuid4().hex[:10]}")
        worker = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "celery"),
                "-A",
                "lms",
                "--quiet",
                "worker",
                "--concurrency",
                "1",
                "--loglevel",
                "warning",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
        )
    # SQLite allows one writer at a time: one worker, so that the measurement is not of "database is locked".
    workers = 1 if not postgres else (3 if quick else 2 * (os.cpu_count() or 1) + 1)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "lms.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--backlog",
            "256",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(300):
            try:
                requests.get(f"{base_url}/healthz/", timeout=30)
                break
            except requests.RequestException:
                time.sleep(0.2)
        # Every worker imports the project on its first request: warm them all before timing.
        with ThreadPoolExecutor(max_workers=workers * 2) as pool:
            list(pool.map(lambda _i: requests.get(f"{base_url}/bench/post-form/", timeout=60), range(workers * 4)))
        learners = [Learner(base_url, user, attempt) for user, attempt in zip(users, attempts, strict=True)]
        ours_latencies: list[float] = []
        base_latencies: list[float] = []
        ours_time = base_time = 0.0
        statuses: list[int] = []
        base_statuses: list[int] = []
        for round_index in range(rounds):
            chunk = learners[round_index * clients * per_client : (round_index + 1) * clients * per_client]
            groups = [chunk[index::clients] for index in range(clients)]
            latencies, codes, elapsed = _phase(groups, "submit")
            ours_latencies += latencies
            statuses += codes
            ours_time += elapsed
            latencies, codes, elapsed = _phase(groups, "baseline")
            base_latencies += latencies
            base_statuses += codes
            base_time += elapsed
        # A replayed submit (a double click) must change nothing.
        replay = [learner.submit()[1] for learner in learners[:5]]
        # The queued work must all be done: one statement per graded attempt, recorded by the worker.
        drained_at = time.perf_counter()
        expected_statements = len(users)
        recorded = 0
        for _ in range(600):
            recorded = XapiStatement.objects.filter(
                user_id__in=[user.pk for user in users], verb__in=["passed", "failed"]
            ).count()
            if recorded >= expected_statements:
                break
            time.sleep(0.2)
        drain_seconds = time.perf_counter() - drained_at
    finally:
        server.terminate()
        server.wait(timeout=30)
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=60)

    user_ids = [user.pk for user in users]
    submitted = Attempt.objects.filter(user_id__in=user_ids, status=AttemptStatus.SUBMITTED).count()
    total_attempts = Attempt.objects.filter(user_id__in=user_ids).count()
    answered = AttemptQuestion.objects.filter(attempt__user_id__in=user_ids, response__isnull=False).count()
    rows = BaselineRow.objects.filter(user_id__in=user_ids).count()
    lost = len(users) - submitted
    doubled = total_attempts - len(users)
    if any(code != 302 for code in statuses) or any(code != 200 for code in base_statuses):
        raise AssertionError(f"unexpected answers: {sorted(set(statuses))} / {sorted(set(base_statuses))}")
    if lost or doubled or answered != len(users) * QUESTIONS or rows != len(base_statuses):
        raise AssertionError(f"lost {lost}, doubled {doubled}, correct answers {answered}, baseline rows {rows}")
    if recorded != expected_statements:
        raise AssertionError(f"{recorded} xAPI statements for {expected_statements} graded attempts")
    requests_count = len(ours_latencies)
    ours_timing, base_timing = Timing(tuple(ours_latencies)), Timing(tuple(base_latencies))
    load = f"{clients} concurrent clients, {requests_count} submissions, gunicorn {workers} sync workers"
    background = (
        "queued for 1 Celery worker on the same machine (Redis broker)" if with_worker else "run inside the request"
    )
    notes.append(
        f"scenario 2: {load}, {connection.vendor}; {submitted} attempts submitted of {len(users)}, {lost} lost, "
        f"{doubled} doubled, every answer stored; {len(replay)} replayed submits answered {sorted(set(replay))} and "
        "changed nothing; clients are Python threads on the same 2-core machine; the work a submit sets off (xAPI "
        f"statement, badge evaluation) was {background}; all {recorded} statements were recorded"
        + (f", the last {drain_seconds:.1f} s after the last submit" if with_worker else "")
    )
    return [
        Result(
            TITLE, "throughput", requests_count / ours_time, len(base_latencies) / base_time, "req/s", ">= 0.5x", load
        ),
        Result(TITLE, "p95 latency", ours_timing.p95, base_timing.p95, "s", "info"),
        Result(TITLE, "median latency", ours_timing.median, base_timing.median, "s", "info"),
        Result(TITLE, "lost / doubled attempts", lost + doubled, None, "", "<= 0 "),
    ], notes
