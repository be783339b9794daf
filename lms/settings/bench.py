"""Benchmark settings: test settings (fast hashers, eager tasks), the bench-only baseline views, quiet logs, static
files served as in production.

`python -m bench` creates a database of its own (test_<name>); a gunicorn it starts for scenario 2 finds that
database through BENCH_DATABASE_NAME. On SQLite the database is a file in bench/.data.
"""

import os

from lms.settings.test import *

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
# The project's URLs plus the baselines (bench/urls.py); production URLs never contain them.
ROOT_URLCONF = "bench.urls"
if not USING_POSTGRESQL:
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "bench" / ".data" / "bench.sqlite3")}
if os.environ.get("BENCH_DATABASE_NAME"):
    DATABASES["default"]["NAME"] = os.environ["BENCH_DATABASE_NAME"]
MEDIA_ROOT = BASE_DIR / "bench" / ".data" / "media"
# The public verify page is rate-limited per address; a benchmark loop from one address would only measure the 429.
CERTIFICATES_VERIFY_RATE = (10**9, 60)
# Tasks run in-process, except in a process started with CELERY_TASK_ALWAYS_EAGER=false: scenario 2 starts gunicorn
# and a Celery worker that way when a broker is configured, as production runs.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)
# Static files as production serves them (indexed once at start-up), not re-checked on every request as in tests.
WHITENOISE_AUTOREFRESH = False
WHITENOISE_USE_FINDERS = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
STATIC_ROOT = None
