"""`make run` serves a classroom: the embedded default (runserver, SQLite, eager tasks) under concurrent clients.

A real `manage.py runserver` (threaded, as `make run` starts it; `--noreload` only so that one process can be stopped)
runs on a free port against a SQLite file in a temporary folder. 32 learners, each with a session of their own, enrol,
start the course quiz, autosave, submit (twice: a double click), open and finish lessons, while 4 coordinators record
practice activities for them, all at once. No answer may be a 5xx, and nothing may be lost: every attempt graded
once, every lesson finished, every activity recorded, one xAPI statement per learning event (tasks run eagerly).
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.integration

PROJECT_DIR = Path(__file__).resolve().parents[2]
LEARNERS = 32
COORDINATORS = 4
ACTIVITIES_PER_COORDINATOR = LEARNERS // COORDINATORS // 2  # two participants each, every learner in exactly one
QUESTIONS = 3
LESSONS = 2
SUBPROCESS_TIMEOUT = 300

# Runs in the server's database (manage.py shell): a course with lessons and a quiz at a training base, a college
# whose students are the learners, coordinators; sessions made with force_login (no password hashing needed).
SETUP = f"""
import datetime, json
from django.test import Client, override_settings
from accounts.constants import OrganizationKind, Role
from accounts.services import membership_add
from core.school_years import school_year_for
from tests.courses.factories import learning_course
from tests.factories import OrganizationFactory, UserFactory
from tests.schools.factories import StudentProfileFactory

def session_of(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value

with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
    city = OrganizationFactory(slug="city", name="市志愿服务工作办公室", kind=OrganizationKind.CITY_OFFICE)
    college = OrganizationFactory(slug="college", name="课堂学院", kind=OrganizationKind.COLLEGE, parent=city)
    base = OrganizationFactory(slug="base", name="课堂培训基地", kind=OrganizationKind.TRAINING_BASE, parent=city)
    course = learning_course(base, lessons={LESSONS})
    # Option 0 is the right one in every question (the factories' order): a learner who answers 0 passes.
    course.quiz.shuffle_options = False
    course.quiz.question_count = {QUESTIONS}
    course.quiz.save()
    learners = []
    for index in range({LEARNERS}):
        profile = StudentProfileFactory(organization=college, user=UserFactory(username=f"learner{{index}}"))
        membership_add(user=profile.user, organization=college, role=Role.LEARNER)
        learners.append({{"session": session_of(profile.user), "profile": profile.pk}})
    coordinators = []
    for index in range({COORDINATORS}):
        user = UserFactory(username=f"coordinator{{index}}")
        membership_add(user=user, organization=college, role=Role.COORDINATOR)
        coordinators.append({{"session": session_of(user)}})
yesterday = datetime.date.today() - datetime.timedelta(days=1)
print("CLASSROOM=" + json.dumps({{
    "course_id": course.course.pk,
    "course_url": course.course.url,
    "quiz_id": course.quiz.pk,
    "lesson_ids": [lesson.pk for lesson in course.lessons],
    "college": college.slug,
    "learners": learners,
    "coordinators": coordinators,
    "occurred_on": yesterday.isoformat(),
    "school_year": school_year_for(yesterday),
}}))
"""

# Runs after the load: what the database holds.
CHECK = """
import json
from django.db.models import Count
from assessments.models import Attempt, AttemptQuestion
from courses.models import CourseCompletion, Enrollment, LessonProgress
from hours.models import HoursEntry
from schools.models import ServiceActivity, ServiceParticipation
from xapi.models import XapiStatement

statements = XapiStatement.objects.values_list("verb", "activity_type").order_by().annotate(count=Count("id"))
print("COUNTS=" + json.dumps({
    "enrollments": Enrollment.objects.count(),
    "attempts": Attempt.objects.count(),
    "learners_with_an_attempt": Attempt.objects.values("user_id").distinct().count(),
    "submitted": Attempt.objects.filter(status="submitted", submitted_at__isnull=False, score__isnull=False).count(),
    "passed": Attempt.objects.filter(passed=True).count(),
    "answered": AttemptQuestion.objects.filter(response__isnull=False).count(),
    "lessons_done": LessonProgress.objects.filter(completed_at__isnull=False).count(),
    "completions": CourseCompletion.objects.count(),
    "learning_hours": HoursEntry.objects.filter(kind="learning").count(),
    "activities": ServiceActivity.objects.count(),
    "participations": ServiceParticipation.objects.count(),
    "practice_hours": HoursEntry.objects.filter(kind="practice").count(),
    "statements": {f"{verb} {activity_type}": count for verb, activity_type, count in statements},
}))
"""


# What a connection of the configured database says about itself.
CONNECTION_REPORT = """
import json
from django.db import connection
names = ("journal_mode", "synchronous", "busy_timeout")
with connection.cursor() as cursor:
    pragmas = {name: cursor.execute(f"PRAGMA {name}").fetchone()[0] for name in names}
print("CONNECTION=" + json.dumps({**pragmas, "transaction_mode": connection.transaction_mode}))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(folder: Path) -> dict[str, str]:
    """The embedded default, as `make run` has it, with the database and media in `folder`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DJANGO_SETTINGS_MODULE", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "CELERY_TASK_ALWAYS_EAGER"}
        and key not in {"CACHE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "MEDIA_ROOT": str(folder / "media"),
            # Clients click "finished" at once; the reading-time rule has tests of its own.
            "LESSON_MIN_READING_FRACTION": "0",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def _marked_json(output: str, marker: str) -> dict:
    line = next(line for line in output.splitlines() if line.startswith(marker))
    return json.loads(line[len(marker) :])


class Server:
    """`manage.py runserver` (threaded) in its own process group, stopped at the end."""

    def __init__(self, env: dict[str, str], log_path: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        log = open(log_path, "ab")  # noqa: SIM115 - the subprocess owns it until it exits
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{self.port}"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"runserver exited early:\n{self.log()}")
            try:
                if requests.get(f"{self.url}/healthz/", timeout=10).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"runserver not ready after {timeout}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)


class Journal:
    """Every answer the clients got, and the 5xx ones with the server's reason (DEBUG pages name the exception)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.statuses: Counter[tuple[str, int]] = Counter()
        self.failures: list[str] = []

    def record(self, action: str, response: requests.Response | None, error: Exception | None = None) -> None:
        with self.lock:
            if response is None:
                self.statuses[(action, 0)] += 1
                self.failures.append(f"{action}: no answer ({error})")
                return
            self.statuses[(action, response.status_code)] += 1
            if response.status_code >= 500:
                title = re.search(r"<title>\s*(.*?)\s*</title>", response.text, re.S)
                value = re.search(r'<pre class="exception_value">(.*?)</pre>', response.text, re.S)
                reason = " ".join(title.group(1).split()) if title else ""
                detail = value.group(1).strip() if value else response.text[:200]
                self.failures.append(f"{action}: {response.status_code} {reason}: {detail}")


class Browser:
    """One user's session, as a browser holds it: the session cookie, the CSRF cookie, form posts."""

    def __init__(self, base_url: str, session_key: str, journal: Journal):
        self.base_url = base_url
        self.journal = journal
        self.http = requests.Session()
        self.http.cookies.set("sessionid", session_key, domain="127.0.0.1")

    def request(self, action: str, method: str, path: str, **kwargs) -> requests.Response | None:
        headers = {"Referer": f"{self.base_url}{path}"}
        if method == "POST":
            headers["X-CSRFToken"] = self.http.cookies.get("csrftoken", "")
        try:
            response = self.http.request(
                method, f"{self.base_url}{path}", headers=headers, allow_redirects=False, timeout=120, **kwargs
            )
        except requests.RequestException as error:
            self.journal.record(action, None, error)
            return None
        self.journal.record(action, response)
        return response


def _learner(browser: Browser, classroom: dict, quiz_first: bool) -> None:
    page = browser.request("course page", "GET", classroom["course_url"])
    if page is None or page.status_code != 200:
        return
    enrolled = browser.request("enrol", "POST", f"/learn/courses/{classroom['course_id']}/enrol/")
    match = re.search(r"/learn/enrolments/(\d+)/", enrolled.headers.get("Location", "") if enrolled else "")
    if match is None:
        return
    enrollment = f"/learn/enrolments/{match.group(1)}"

    def lessons() -> None:
        for lesson_id in classroom["lesson_ids"]:
            browser.request("lesson open", "GET", f"{enrollment}/lessons/{lesson_id}/")
            browser.request("lesson done", "POST", f"{enrollment}/lessons/{lesson_id}/done/")

    def quiz() -> None:
        started = browser.request("quiz start", "POST", f"{enrollment}/quizzes/{classroom['quiz_id']}/")
        match = re.search(r"/attempts/(\d+)/", started.headers.get("Location", "") if started else "")
        if match is None:
            return
        attempt_id = match.group(1)
        browser.request("quiz page", "GET", f"{enrollment}/attempts/{attempt_id}/")
        positions = [str(position) for position in range(1, QUESTIONS + 1)]
        for choice in ("1", "0"):  # a wrong answer autosaved, then corrected
            answers = {"positions": positions, **{f"choice-{position}": choice for position in positions}}
            browser.request("autosave", "POST", f"/assessments/attempts/{attempt_id}/answers/", data=answers)
        for _click in range(2):  # a double click: the second submit changes nothing
            browser.request("submit", "POST", f"{enrollment}/attempts/{attempt_id}/submit/", data=answers)

    for step in (quiz, lessons) if quiz_first else (lessons, quiz):
        step()


def _coordinator(browser: Browser, classroom: dict, participant_groups: list[list[int]], number: int) -> None:
    form_path = f"/school/{classroom['college']}/activities/new/"
    if browser.request("activity form", "GET", form_path) is None:
        return
    for index, participants in enumerate(participant_groups):
        browser.request(
            "activity record",
            "POST",
            form_path,
            data={
                "title": f"社区服务 {number}-{index}",
                "content": "社区环境清洁",
                "place": "幸福社区",
                "occurred_on": classroom["occurred_on"],
                "duration_minutes": "60",
                "school_year": classroom["school_year"],
                "participants": [str(profile) for profile in participants],
            },
        )


@pytest.mark.parametrize("settings_module", ["lms.settings.dev", "lms.settings.production"])
def test_any_sqlite_database_is_set_up_for_concurrent_writers(tmp_path, settings_module):
    from tests.lms.test_settings import PRODUCTION_ENV

    env = {**PRODUCTION_ENV, **_server_env(tmp_path), "DJANGO_SETTINGS_MODULE": settings_module}
    report = _marked_json(_manage(env, "shell", "-c", CONNECTION_REPORT), "CONNECTION=")
    # WAL: readers beside the writer; synchronous 1 = NORMAL (safe with WAL); writers wait 20 s for the lock and take
    # it when their transaction begins.
    assert report == {"journal_mode": "wal", "synchronous": 1, "busy_timeout": 20000, "transaction_mode": "IMMEDIATE"}


@pytest.fixture
def classroom_server(tmp_path):
    env = _server_env(tmp_path)
    _manage(env, "migrate", "--noinput")
    classroom = _marked_json(_manage(env, "shell", "-c", SETUP), "CLASSROOM=")
    server = Server(env, tmp_path / "runserver.log")
    try:
        server.wait_ready()
        yield server, classroom, env
    finally:
        server.stop()


def test_a_classroom_at_once_gets_no_server_error_and_loses_nothing(classroom_server):
    server, classroom, env = classroom_server
    journal = Journal()
    profiles = [learner["profile"] for learner in classroom["learners"]]
    pairs = [profiles[index : index + 2] for index in range(0, len(profiles), 2)]
    clients = [
        (_learner, Browser(server.url, learner["session"], journal), classroom, index % 2 == 0)
        for index, learner in enumerate(classroom["learners"])
    ] + [
        (
            _coordinator,
            Browser(server.url, coordinator["session"], journal),
            classroom,
            pairs[index * ACTIVITIES_PER_COORDINATOR : (index + 1) * ACTIVITIES_PER_COORDINATOR],
            index,
        )
        for index, coordinator in enumerate(classroom["coordinators"])
    ]
    barrier = threading.Barrier(len(clients))
    crashes: list[BaseException] = []

    def run(client, *args) -> None:
        try:
            barrier.wait()
            client(*args)
        except BaseException as error:  # noqa: BLE001 - reported below with the journal
            crashes.append(error)

    threads = [threading.Thread(target=run, args=client) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not crashes, crashes
    assert not journal.failures, (
        f"{len(journal.failures)} failed answers: {journal.failures[:10]}\n{sorted(journal.statuses.items())}"
    )

    counts = _marked_json(_manage(env, "shell", "-c", CHECK), "COUNTS=")
    expected_posts = {
        ("enrol", 302): LEARNERS,
        ("quiz start", 302): LEARNERS,
        ("autosave", 200): 2 * LEARNERS,
        ("submit", 302): 2 * LEARNERS,
        ("lesson done", 302): LESSONS * LEARNERS,
        ("activity record", 302): COORDINATORS * ACTIVITIES_PER_COORDINATOR,
    }
    assert {key: journal.statuses[key] for key in expected_posts} == expected_posts, sorted(journal.statuses.items())
    activities = COORDINATORS * ACTIVITIES_PER_COORDINATOR
    assert counts == {
        "enrollments": LEARNERS,
        "attempts": LEARNERS,
        "learners_with_an_attempt": LEARNERS,
        "submitted": LEARNERS,
        "passed": LEARNERS,  # the corrected answers of the submit were graded, not the autosaved wrong ones
        "answered": LEARNERS * QUESTIONS,
        "lessons_done": LEARNERS * LESSONS,
        "completions": LEARNERS,
        "learning_hours": LEARNERS,
        "activities": activities,
        "participations": 2 * activities,
        "practice_hours": 2 * activities,
        "statements": {
            "completed lesson": LEARNERS * LESSONS,
            "passed quiz": LEARNERS,
            "completed course": LEARNERS,
        },
    }, counts
