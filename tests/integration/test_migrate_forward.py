"""A database migrated and filled by the old layout (90f35ad) migrates forward with nothing lost (ADR 0012).

The old tree is extracted with `git archive` and runs in subprocesses against a database of its own: `migrate`, the
demo, and a few rows more so that every moved table holds data. Then this tree migrates the same database forward,
and the test compares, with the old database's snapshot: every table's row count, the moved tables' rows (checksum of
all, and a sample), the content types, permissions and guardian object permissions, the sequences, the schema of the
project's tables (against the tables this tree's models would create), what this tree's ORM reads,
`makemigrations --check`, and whether a user logged in under the old code is still logged in.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import ClassVar

import psycopg
import pytest
from django.apps import apps
from django.conf import settings
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import CreateModel, DeleteModel, SeparateDatabaseAndState
from psycopg import sql

from tests.conftest import postgres_only

pytestmark = [postgres_only(), pytest.mark.postgres, pytest.mark.integration]

PROJECT_DIR = Path(__file__).resolve().parents[2]
OLD_COMMIT = "90f35ad"
SUBPROCESS_TIMEOUT = 300
SAMPLE_ROWS = 5
DATABASE_PREFIX = "lms_migrate_forward_"
# Every old table keeps its row count, except these, which grow with later migrations and new models; their old rows
# are checked one by one instead. The moved tables must come through byte for byte. Later migrations of other work may
# change other tables' values on purpose; the summary lists such tables, it does not fail on them.
GROWING_TABLES = {"django_migrations", "django_content_type", "auth_permission"}
# What the derivation from the migrations must find at least (a guard against deriving nothing).
KNOWN_MOVES = {
    ("courses", "hoursentry"): "hours",
    ("courses", "studentprofile"): "schools",
    ("courses", "serviceactivity"): "schools",
    ("certificates", "badgeclass"): "badges",
    ("certificates", "badgeaward"): "badges",
    ("certificates", "teamapplication"): "badges",
    ("lms", "xapistatement"): "xapi",
}

# Runs in the OLD tree after its demo: a row in each moved table the demo leaves empty, object permissions (user and
# group) on moved models, a group with model permissions of moved models, an admin log entry and a logged-in session.
OLD_TREE_FILL = """
import datetime, json
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone
from guardian.shortcuts import assign_perm
from assessments.models import Quiz
from certificates.models import BadgeAward, BadgeClass, BadgeExpiryReminder, BadgeQuizRequirement, TeamApplication
from content.models import CoursePage
from courses.models import ComplianceReminder, HoursEntry, RosterImport, SchoolPolicy, StudentProfile
from lms.accounts.models import Organization, User
from lms.demo import DEMO_PASSWORD
from lms.models import XapiStatement

college = Organization.objects.get(slug="vocational-college")
coordinator = User.objects.get(username="coordinator")
volunteer = User.objects.get(username="volunteer")
admin = User.objects.get(username="admin")
SchoolPolicy.objects.get_or_create(organization=college, defaults={"count_training": True})
roster = RosterImport.objects.create(
    organization=college, uploaded_by=coordinator, file_name="名单.xlsx", file_hash="ab" * 32, status="imported",
    total_rows=2, valid_rows=1, error_rows=1, created_count=1, errors=[{"row": 3, "messages": ["学号重复"]}],
    confirmed_at=timezone.now(),
)
StudentProfile.objects.filter(pk=StudentProfile.objects.filter(organization=college).order_by("pk")[0].pk).update(
    roster_import=roster
)
ComplianceReminder.objects.create(
    organization=college, school_year="2026-2027", sent_on=datetime.date(2026, 11, 2), student_count=3,
    recipient_count=1,
)
badge = BadgeClass.objects.order_by("pk")[0]
badge.refresher_courses.add(CoursePage.objects.order_by("pk")[0])
BadgeQuizRequirement.objects.create(badge_class=badge, quiz=Quiz.objects.order_by("pk")[0], min_percent=90)
BadgeExpiryReminder.objects.create(award=BadgeAward.objects.order_by("pk")[0], days_before=60)
TeamApplication.objects.create(team=Organization.objects.get(slug="team-fire"), applicant=volunteer, message="想加入")
TeamApplication.objects.create(
    team=Organization.objects.get(slug="team-traffic"), applicant=volunteer, status="accepted",
    decided_at=timezone.now(), decided_by=coordinator, decision_note="欢迎",
)
group = Group.objects.create(name="Migrate-forward check")
group.user_set.add(volunteer)
group.permissions.add(*Permission.objects.filter(
    content_type__app_label__in=["courses", "certificates", "lms"], codename__startswith="view_"
))
assign_perm("certificates.change_badgeclass", group, badge)
assign_perm("courses.view_hoursentry", volunteer, HoursEntry.objects.order_by("pk")[0])
assign_perm("courses.change_studentprofile", coordinator, StudentProfile.objects.order_by("pk")[0])
assign_perm("lms.view_xapistatement", volunteer, XapiStatement.objects.order_by("pk")[0])
LogEntry.objects.create(
    user=admin, content_type=ContentType.objects.get_for_model(BadgeClass), object_id=str(badge.pk),
    object_repr=str(badge)[:200], action_flag=CHANGE, change_message="[]",
)
client = Client()
assert client.login(username="volunteer", password=DEMO_PASSWORD)
print("RESULT:" + json.dumps({"session_key": client.session.session_key, "user_id": volunteer.pk}))
"""

# Runs in THIS tree on an empty database: the tables exactly as this tree's models (and so the migration state)
# describe them, to compare with the tables the old migrations created.
CREATE_TABLES_FROM_MODELS = """
from django.apps import apps
from django.db import connection
with connection.schema_editor() as editor:
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            editor.create_model(model)
"""

# Runs in THIS tree on the migrated database: what the new code reads. Input and output are JSON.
NEW_TREE_READ = """
import json, os
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.http import HttpRequest
from guardian.core import ObjectPermissionChecker
from guardian.models import GroupObjectPermission, UserObjectPermission
from accounts.models import User
from hours.models import HoursEntry, HoursEntryEvent
from wagtail.models import ReferenceIndex

spec = json.loads(os.environ["MIGRATE_FORWARD_SPEC"])
out = {"models": {}, "object_permissions": [], "references": []}
moved_ct_ids = set()
for label in spec["moved"]:
    model = apps.get_model(label)
    relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
    rows = list(model.objects.select_related(*relations).order_by("pk"))
    for row in rows:
        for name in relations:
            getattr(row, name)
    cts = list(ContentType.objects.filter(app_label=model._meta.app_label, model=model._meta.model_name))
    moved_ct_ids.update(ct.pk for ct in cts)
    out["models"][label] = {
        "count": len(rows),
        "first_pks": [str(row.pk) for row in rows[: spec["sample_rows"]]],
        "m2m": {f.remote_field.through._meta.db_table: f.remote_field.through.objects.count()
                for f in model._meta.many_to_many},
        "content_type_ids": [ct.pk for ct in cts],
    }
out["stale_content_types"] = sorted(
    [ct.app_label, ct.model] for ct in ContentType.objects.order_by("pk") if ct.model_class() is None
)
for kind, queryset in (("user", UserObjectPermission.objects.all()), ("group", GroupObjectPermission.objects.all())):
    for row in queryset.select_related("permission__content_type", "content_type").order_by("pk"):
        holder = row.user if kind == "user" else row.group
        obj = row.content_object
        codename = row.permission.codename
        out["object_permissions"].append({
            "kind": kind, "id": row.pk, "model": f"{row.content_type.app_label}.{row.content_type.model}",
            "perm": f"{row.permission.content_type.app_label}.{codename}", "object_found": obj is not None,
            "granted": obj is not None and ObjectPermissionChecker(holder).has_perm(codename, obj),
        })
for entry in LogEntry.objects.filter(content_type_id__in=moved_ct_ids).order_by("pk"):
    found = entry.get_edited_object() is not None
    out["references"].append(["django_admin_log", entry.pk, found])
for reference in ReferenceIndex.objects.filter(content_type_id__in=moved_ct_ids).order_by("pk"):
    found = reference.content_type.get_object_for_this_type(pk=reference.object_id) is not None
    out["references"].append(["wagtailcore_referenceindex", reference.pk, found])
member = User.objects.get(pk=spec["user_id"])
out["model_permissions"] = {label: member.has_perm(f"{label.split('.')[0]}.view_{label.split('.')[1]}")
                            for label in spec["moved"]}
request = HttpRequest()
request.session = SessionStore(session_key=spec["session_key"])
user = get_user(request)
out["session_user_id"] = user.pk if user.is_authenticated else None
out["session_backend"] = request.session.get("_auth_user_backend")
with transaction.atomic():
    entry = HoursEntry.objects.order_by("pk")[0]
    event = HoursEntryEvent.objects.create(entry=entry, action="changed", note="migrate-forward check")
    out["inserted_event_pk"] = event.pk
    transaction.set_rollback(True)
print("RESULT:" + json.dumps(out))
"""


# --- the moved models, as the migrations of this tree describe them ---------------------------------------------


def moves_from_migrations() -> dict[tuple[str, str], str]:
    """(old app label, model) -> new app label, from the state-only CreateModel / DeleteModel pairs."""
    created: dict[str, str] = {}
    deleted: dict[str, str] = {}
    for (app_label, _name), migration in MigrationLoader(None, ignore_no_migrations=True).disk_migrations.items():
        for operation in migration.operations:
            if not isinstance(operation, SeparateDatabaseAndState) or operation.database_operations:
                continue
            for state_operation in operation.state_operations:
                if isinstance(state_operation, CreateModel) and state_operation.options.get("db_table"):
                    created[state_operation.name_lower] = app_label
                elif isinstance(state_operation, DeleteModel):
                    deleted[state_operation.name_lower] = app_label
    return {(deleted[name], name): new for name, new in created.items() if name in deleted and deleted[name] != new}


def moved_tables(moves: dict[tuple[str, str], str]) -> dict[str, list[str]]:
    """New model label -> its table and the tables of its automatic many-to-many relations."""
    tables = {}
    for (_old, model_name), new in moves.items():
        meta = apps.get_model(new, model_name)._meta
        through = [f.remote_field.through._meta.db_table for f in meta.local_many_to_many]
        tables[f"{new}.{model_name}"] = [meta.db_table, *through]
    return tables


def project_tables() -> set[str]:
    """Tables of this project's own apps (not Django's, Wagtail's or other third parties')."""
    tables = set()
    for config in apps.get_app_configs():
        if Path(config.path).resolve().is_relative_to(PROJECT_DIR) and ".venv" not in Path(config.path).parts:
            for model in config.get_models(include_auto_created=True):
                if model._meta.managed and not model._meta.proxy:
                    tables.add(model._meta.db_table)
    return tables


# --- databases and subprocesses ------------------------------------------------------------------------------------


def database_url(name: str) -> str:
    database = settings.DATABASES["default"]
    user = database.get("USER") or "postgres"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgresql://{user}{password}@{host}:{port}/{name}"


def admin_execute(statement: sql.Composable) -> None:
    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        connection.execute(statement)


def create_database(name: str) -> None:
    admin_execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    admin_execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(name: str) -> None:
    admin_execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def drop_stale_databases() -> None:
    """Drop the databases of runs killed before their teardown (their process is gone); leave any in use alone."""
    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        names = connection.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", (DATABASE_PREFIX.replace("_", r"\_") + "%",)
        ).fetchall()
        for (name,) in names:
            pid = name.removeprefix(DATABASE_PREFIX).split("_")[0]
            if pid.isdigit() and not process_alive(int(pid)):
                with contextlib.suppress(psycopg.errors.ObjectInUse):
                    connection.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))


class Manage:
    """`manage.py` of one tree against one database, in a subprocess whose output goes to a log file."""

    running: ClassVar[list[subprocess.Popen]] = []

    def __init__(self, tree: Path, database: str, logs: Path, media: Path):
        self.tree, self.database, self.logs, self.media = tree, database, logs, media

    def env(self, extra: dict[str, str] | None) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"PYTHONPATH", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "CELERY_TASK_ALWAYS_EAGER"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="lms.settings.test",
            DATABASE_URL=database_url(self.database),
            MEDIA_ROOT=str(self.media),
            CONN_MAX_AGE="0",
            **(extra or {}),
        )
        return env

    def start(self, *args: str, extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen, Path, str]:
        what = f"{self.tree}: manage.py {' '.join(args)[:80]}"
        log = self.logs / f"{len(list(self.logs.iterdir())):02d}-{args[0]}.log"
        with open(log, "wb") as out:
            process = subprocess.Popen(
                [sys.executable, "manage.py", *args],
                cwd=self.tree,
                env=self.env(extra_env),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.running.append(process)
        return process, log, what

    @staticmethod
    def finish(started: tuple[subprocess.Popen, Path, str], check: bool = True) -> tuple[int, str]:
        process, log, what = started
        try:
            returncode = process.wait(timeout=SUBPROCESS_TIMEOUT)
            Manage.running.remove(process)
        except subprocess.TimeoutExpired:
            Manage.stop(process)
            pytest.fail(f"{what} did not finish in {SUBPROCESS_TIMEOUT}s:\n{log.read_text(errors='replace')[-5000:]}")
        output = log.read_text(errors="replace")
        if check and returncode != 0:
            pytest.fail(f"{what} failed ({returncode}):\n{output[-8000:]}")
        return returncode, output

    @classmethod
    def stop(cls, process: subprocess.Popen) -> None:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
        cls.running.remove(process)

    @classmethod
    def stop_all(cls) -> None:
        for process in list(cls.running):
            cls.stop(process)

    def run(self, *args: str, extra_env: dict[str, str] | None = None) -> str:
        return self.finish(self.start(*args, extra_env=extra_env))[1]


def result_of(output: str) -> dict:
    lines = [line for line in output.splitlines() if line.startswith("RESULT:")]
    assert lines, f"the script printed no result:\n{output[-5000:]}"
    return json.loads(lines[-1].removeprefix("RESULT:"))


# --- snapshots of a database -----------------------------------------------------------------------------------------


def table_columns(connection: psycopg.Connection) -> dict[str, list[str]]:
    rows = connection.execute(
        "SELECT c.relname, a.attname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname, a.attnum"
    ).fetchall()
    columns: dict[str, list[str]] = {}
    for table, column in rows:
        columns.setdefault(table, []).append(column)
    return columns


def primary_key(connection: psycopg.Connection, table: str) -> list[str]:
    return [
        name
        for (name,) in connection.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY a.attnum",
            (table,),
        )
    ]


def snapshot(name: str, columns: dict[str, list[str]] | None, sampled: list[str], schema_of: set[str]) -> dict:
    """Counts and checksums of every table (over `columns`, the old columns, when given), samples, catalog rows."""
    with psycopg.connect(database_url(name)) as connection:
        own_columns = table_columns(connection)
        columns = columns or own_columns
        tables = {}
        for table in sorted(own_columns):
            if table not in columns:
                continue
            row = sql.SQL("ROW({})").format(sql.SQL(", ").join(sql.Identifier(c) for c in columns[table]))
            count, checksum = connection.execute(
                sql.SQL(
                    "SELECT count(*), md5(coalesce(string_agg({row}::text, E'\\n' ORDER BY {row}::text), '')) "
                ).format(row=row)
                + sql.SQL("FROM {}").format(sql.Identifier(table))
            ).fetchone()
            tables[table] = {"count": count, "checksum": checksum}
        samples = {}
        for table in sampled:
            if table in own_columns:
                samples[table] = connection.execute(
                    sql.SQL("SELECT {} FROM {} ORDER BY {} LIMIT %s").format(
                        sql.SQL(", ").join(sql.Identifier(c) for c in columns[table]),
                        sql.Identifier(table),
                        sql.SQL(", ").join(sql.Identifier(c) for c in primary_key(connection, table)),
                    ),
                    (SAMPLE_ROWS,),
                ).fetchall()
        object_permissions = {}
        for table in ("guardian_userobjectpermission", "guardian_groupobjectpermission"):
            object_permissions[table] = connection.execute(
                sql.SQL(
                    "SELECT o.id, ct.app_label, ct.model, pct.app_label, pct.model, p.codename, o.object_pk "
                    "FROM {} o JOIN django_content_type ct ON ct.id = o.content_type_id "
                    "JOIN auth_permission p ON p.id = o.permission_id "
                    "JOIN django_content_type pct ON pct.id = p.content_type_id ORDER BY o.id"
                ).format(sql.Identifier(table))
            ).fetchall()
        return {
            "columns": own_columns,
            "tables": tables,
            "samples": samples,
            "content_types": {
                pk: (app_label, model)
                for pk, app_label, model in connection.execute("SELECT id, app_label, model FROM django_content_type")
            },
            "permissions": connection.execute(
                "SELECT p.id, ct.app_label, ct.model, p.codename FROM auth_permission p "
                "JOIN django_content_type ct ON ct.id = p.content_type_id ORDER BY p.id"
            ).fetchall(),
            "object_permissions": object_permissions,
            "sequences": id_sequences(connection, [table for table in sampled if "id" in own_columns.get(table, [])]),
            "migrations": set(connection.execute("SELECT app, name FROM django_migrations").fetchall()),
            "schema": table_schema(connection, schema_of & set(own_columns)),
        }


def id_sequences(connection: psycopg.Connection, tables: list[str]) -> dict[str, int | None]:
    """The last value of each table's id sequence (tables with a UUID id have none)."""
    sequences = {}
    for table in tables:
        (sequence,) = connection.execute("SELECT pg_get_serial_sequence(%s, 'id')", (table,)).fetchone()
        if sequence:
            sequences[table] = connection.execute(
                "SELECT pg_sequence_last_value(%s::regclass)", (sequence,)
            ).fetchone()[0]
    return sequences


def table_schema(connection: psycopg.Connection, tables: set[str]) -> dict[str, dict[str, set]]:
    schema = {}
    for table in sorted(tables):
        schema[table] = {
            "columns": set(
                connection.execute(
                    "SELECT attname, format_type(atttypid, atttypmod), attnotnull, attidentity::text "
                    "FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
                    (table,),
                ).fetchall()
            ),
            "constraints": set(
                connection.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass",
                    (table,),
                ).fetchall()
            ),
            "indexes": set(
                connection.execute(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = %s",
                    (table,),
                ).fetchall()
            ),
        }
    return schema


# --- the test ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def old_tree(tmp_path_factory) -> Path:
    found = subprocess.run(
        ["git", "-C", str(PROJECT_DIR), "cat-file", "-e", f"{OLD_COMMIT}^{{commit}}"], capture_output=True
    )
    if found.returncode:
        pytest.skip(f"needs the git history with {OLD_COMMIT} (the old layout)")
    tree = tmp_path_factory.mktemp("old-tree")
    archive = subprocess.run(["git", "-C", str(PROJECT_DIR), "archive", OLD_COMMIT], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return tree


@pytest.fixture
def databases():
    """Two fresh databases: one the old tree fills and this tree migrates forward, one for this tree's models."""
    drop_stale_databases()
    names = (f"{DATABASE_PREFIX}{os.getpid()}", f"{DATABASE_PREFIX}{os.getpid()}_models")
    for name in names:
        create_database(name)
    try:
        yield names
    finally:
        Manage.stop_all()  # a failed step may leave the other subprocess running
        for name in names:
            drop_database(name)


def test_a_database_of_the_old_layout_migrates_forward_with_nothing_lost(old_tree, databases, tmp_path):
    started_at = time.monotonic()
    database, models_database = databases
    moves = moves_from_migrations()
    assert KNOWN_MOVES.items() <= moves.items(), f"moves derived from the migrations: {sorted(moves.items())}"
    tables_of = moved_tables(moves)
    moved = sorted({table for tables in tables_of.values() for table in tables})
    logs, media = tmp_path / "logs", tmp_path / "media"
    logs.mkdir()
    media.mkdir()
    old = Manage(old_tree, database, logs, media)
    new = Manage(PROJECT_DIR, database, logs, media)

    # The old main: migrate, demo, the rows the demo leaves out. Meanwhile this tree's models make their tables.
    models_tables = Manage(PROJECT_DIR, models_database, logs, media).start(
        "shell", "--no-imports", "-c", CREATE_TABLES_FROM_MODELS
    )
    old.run("migrate", "--noinput", "--skip-checks")  # the old code's system checks are not under test
    timings = {"old migrate": time.monotonic() - started_at}
    old.run("load_demo", "--skip-checks")
    filled = result_of(old.run("shell", "--no-imports", "-c", OLD_TREE_FILL))
    Manage.finish(models_tables)
    timings["old demo"] = time.monotonic() - started_at - sum(timings.values())
    before = snapshot(database, None, moved, set())
    empty = [table for table in moved if before["tables"][table]["count"] == 0]
    assert not empty, f"the old database should hold rows in every moved table; empty: {empty}"
    old_content_types = {ct: pk for pk, ct in before["content_types"].items()}
    assert all(old in old_content_types for old in moves), "every moved model had a content type in the old database"

    # This tree: migrate forward, then read with the new code while makemigrations checks the state.
    migrated = new.run("migrate", "--noinput")
    timings["new migrate"] = time.monotonic() - started_at - sum(timings.values())
    schema_of = set(moved) | project_tables()
    after = snapshot(database, before["columns"], moved, schema_of)
    check = new.start("makemigrations", "--check", "--dry-run")
    spec = {"moved": sorted(tables_of), "sample_rows": SAMPLE_ROWS, **filled}
    read = result_of(
        new.run("shell", "--no-imports", "-c", NEW_TREE_READ, extra_env={"MIGRATE_FORWARD_SPEC": json.dumps(spec)})
    )
    check_returncode, check_output = Manage.finish(check, check=False)
    with psycopg.connect(database_url(models_database)) as connection:
        from_models = table_schema(connection, schema_of & set(table_columns(connection)))

    problems: list[str] = []

    # 1. Tables: none dropped, every row count kept; the moved tables byte for byte (every column, every row).
    changed_elsewhere = []
    for table, old_table in before["tables"].items():
        new_table = after["tables"].get(table)
        if new_table is None:
            problems.append(f"table {table} ({old_table['count']} rows) is gone")
            continue
        lost_columns = sorted(set(before["columns"][table]) - set(after["columns"][table]))
        if table in moved and (lost_columns or new_table != old_table):
            problems.append(
                f"{table}: rows changed: {old_table} before, {new_table} after; columns lost {lost_columns}"
            )
        elif table not in GROWING_TABLES and new_table["count"] != old_table["count"]:
            problems.append(f"{table}: {old_table['count']} rows before, {new_table['count']} after")
        elif table not in GROWING_TABLES and (lost_columns or new_table != old_table):
            changed_elsewhere.append(table + (f" (columns dropped: {', '.join(lost_columns)})" if lost_columns else ""))
    added_tables = sorted(set(after["columns"]) - set(before["columns"]))
    for table, rows in before["samples"].items():
        if after["samples"].get(table) != rows:
            problems.append(f"{table}: first {SAMPLE_ROWS} rows differ: {rows} before, {after['samples'].get(table)}")

    # 2. The migration history: the old rows stay, and every migration of this tree is applied.
    if not before["migrations"] <= after["migrations"]:
        problems.append(f"migration records lost: {sorted(before['migrations'] - after['migrations'])}")
    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    if on_disk - after["migrations"]:
        problems.append(f"migrations of this tree not applied: {sorted(on_disk - after['migrations'])}")

    # 3. Content types: same ids; moved models under their new label, nothing left under the old one.
    expected_content_types = {pk: (moves.get(ct, ct[0]), ct[1]) for pk, ct in before["content_types"].items()}
    for pk, expected in expected_content_types.items():
        if after["content_types"].get(pk) != expected:
            problems.append(f"content type {pk}: {after['content_types'].get(pk)}, expected {expected}")
    moved_labels = {(new, model) for (_old, model), new in moves.items()}
    duplicates = {
        pk: ct for pk, ct in after["content_types"].items() if pk not in expected_content_types and ct in moved_labels
    }
    if duplicates:
        problems.append(f"content types created for moved models instead of renamed: {duplicates}")
    orphans = sorted(set(after["content_types"].values()) & set(moves))
    if orphans:
        problems.append(f"content types left under the old app label: {orphans}")
    stale = [tuple(ct) for ct in read["stale_content_types"]]
    stale_moved = sorted(ct for ct in stale if ct in set(moves) | moved_labels)
    if stale_moved:
        problems.append(f"content types of moved models this tree has no model for: {stale_moved}")

    # 4. Permissions and guardian object permissions: same rows, pointing at the renamed content types.
    def relabelled(rows):
        return [
            (pk, moves.get((app, model), app), model, moves.get((perm_app, perm_model), perm_app), perm_model, *rest)
            for pk, app, model, perm_app, perm_model, *rest in rows
        ]

    expected_permissions = {
        (pk, moves.get((app, model), app), model, code) for pk, app, model, code in before["permissions"]
    }
    if not expected_permissions <= set(after["permissions"]):
        problems.append(
            f"auth_permission rows lost or wrong: {sorted(expected_permissions - set(after['permissions']))}"
        )
    for table, rows in before["object_permissions"].items():
        if after["object_permissions"][table] != relabelled(rows):
            problems.append(f"{table}: {after['object_permissions'][table]}, expected {relabelled(rows)}")
    on_moved = [p for p in read["object_permissions"] if tuple(p["model"].split(".")) in moved_labels]
    if len({p["kind"] for p in on_moved}) < 2:
        problems.append(f"expected user and group object permissions on moved models, got {on_moved}")
    for permission in read["object_permissions"]:
        if not (permission["object_found"] and permission["granted"]):
            problems.append(f"object permission not effective with the new code: {permission}")
    refused = sorted(label for label, granted in read["model_permissions"].items() if not granted)
    if refused:
        problems.append(f"group model permissions on moved models no longer granted: {refused}")
    broken = [reference for reference in read["references"] if not reference[2]]
    if broken or not read["references"]:
        problems.append(f"references to moved models (admin log, Wagtail reference index) broken: {broken}")

    # 5. The new code reads every row of the moved tables.
    old_key_of = {f"{new}.{model}": (old, model) for (old, model), new in moves.items()}
    for label, tables in tables_of.items():
        model = read["models"][label]
        if model["count"] != before["tables"][tables[0]]["count"]:
            problems.append(
                f"{label}: the ORM reads {model['count']} rows, {tables[0]} held {before['tables'][tables[0]]}"
            )
        old_pks = [str(row[before["columns"][tables[0]].index("id")]) for row in before["samples"][tables[0]]]
        if model["first_pks"] != old_pks:
            problems.append(f"{label}: the ORM's first rows are {model['first_pks']}, expected {old_pks}")
        if model["content_type_ids"] != [old_content_types[old_key_of[label]]]:
            problems.append(f"{label}: content types {model['content_type_ids']}, expected the old one, renamed")
        for through, count in model["m2m"].items():
            if count != before["tables"][through]["count"]:
                problems.append(f"{label}: {count} links read from {through}, it held {before['tables'][through]}")
    if after["sequences"] != before["sequences"]:
        problems.append(f"sequences of moved tables changed: {before['sequences']} before, {after['sequences']}")
    if not read["inserted_event_pk"] > before["sequences"]["courses_hoursentryevent"]:
        problems.append(f"a new hours entry event got pk {read['inserted_event_pk']}, the sequence did not continue")
    if read["session_user_id"] != filled["user_id"]:
        problems.append(
            f"a user logged in under the old code is logged out by the new code: session {filled['session_key']} "
            f"names the backend {read['session_backend']!r}, not in AUTHENTICATION_BACKENDS"
        )

    # 6. The state: makemigrations finds nothing, and the tables are what this tree's models would create.
    if check_returncode != 0 or "No changes detected" not in check_output:
        problems.append(f"makemigrations --check --dry-run reports changes:\n{check_output[-3000:]}")
    for table in sorted(schema_of):
        for part in ("columns", "constraints", "indexes"):
            migrated_part = after["schema"].get(table, {}).get(part, set())
            model_part = from_models.get(table, {}).get(part, set())
            if migrated_part != model_part:
                problems.append(
                    f"{table} {part}: only in the migrated database {sorted(migrated_part - model_part)}, "
                    f"only in the tables of the models {sorted(model_part - migrated_part)}"
                )

    timings["checks"] = time.monotonic() - started_at - sum(timings.values())
    elapsed = time.monotonic() - started_at
    summary = (
        f"{len(before['tables'])} tables, {sum(t['count'] for t in before['tables'].values())} rows compared; "
        f"{len(moved)} moved tables ({sum(before['tables'][t]['count'] for t in moved)} rows), "
        f"{len(moves)} moved content types, {len(schema_of)} table schemas; {elapsed:.0f}s "
        f"({', '.join(f'{step} {seconds:.0f}s' for step, seconds in timings.items())})"
    )
    notes = (
        f"Not failures: tables added {added_tables}; other tables whose values later migrations changed "
        f"{changed_elsewhere}; content types without a model {stale}"
    )
    print(summary, notes, migrated[-2000:], sep="\n")
    assert not problems, "\n".join([summary, *problems, notes])
