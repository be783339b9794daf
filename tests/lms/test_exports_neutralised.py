"""Every CSV and XLSX the site serves is safe to open in a spreadsheet: no cell starts with "=", "+", "-", "@", a tab
or a carriage return (OWASP CSV injection); text that would is written with a leading apostrophe.

Which routes export is read from the URLconf, so that a new export cannot be left out: a route exports when its view
is one of Wagtail's spreadsheet views with columns to export, or when the project source of its view (the function,
or every class of its MRO defined in the project) names a project function that writes spreadsheets — the writers of
`core.spreadsheets` and, found by walking the project's modules, every module-level function that calls one of them,
directly or through another such function. `test_every_export_route_is_covered` fails when that set differs from
the routes this module requests, so a new export must be added to EXPORTS (see
docs/decisions/0018-one-neutralising-writer.md).
"""

from __future__ import annotations

import ast
import csv
import datetime
import inspect
import io
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.constants import Role
from accounts.services import membership_add
from certificates.services import certificate_issue, certificate_revoke
from courses.models import CourseCompletion
from hours.models import HoursKind
from hours.services import hours_entry_record
from schools.models import ServiceParticipation
from tests.certificates.factories import CertificateDefinitionFactory, complete
from tests.content.factories import course_tree
from tests.factories import UserFactory
from tests.lms.api_helpers import fresh_throttles, token_client  # noqa: F401 - fixture
from tests.lms.test_layers import RANK
from tests.schools.factories import SchoolClassFactory, ServiceActivityFactory, StudentProfileFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]

ROOT = Path(__file__).resolve().parents[2]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
PAYLOADS = ["=HYPERLINK(1)", "+1+2", "-1+2", "@SUM(A1)", "\t=1+2", "\r=1+2"]
# A number written as a number: in a CSV it cannot be told from text, and "-3" must stay -3 (only text is neutralised).
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
WRITERS = {"csv_stream", "xlsx_write", "xlsx_write_sheets"}
# Function views of third-party apps that export; the project's own are found from its source.
THIRD_PARTY_EXPORTS = {"wagtail.contrib.forms.views.get_submissions_list_view"}


# ---------------------------------------------------------------------------------------------------------------
# Finding the export routes
# ---------------------------------------------------------------------------------------------------------------


def _names(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
    return found


def spreadsheet_producers() -> set[str]:
    """The core writers and every module-level project function that calls one, directly or through another."""
    functions: dict[str, set[str]] = {}
    for app in RANK:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    functions.setdefault(node.name, set()).update(_names(node))
    found = set(WRITERS)
    while more := {name for name, used in functions.items() if used & found} - found:
        found |= more
    return found


def _routes(resolver: URLResolver, namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or pattern.pattern}", pattern.callback


def _project_sources(callback):
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    for obj in view_class.__mro__ if view_class else (inspect.unwrap(callback),):
        if (getattr(obj, "__module__", "") or "").split(".")[0] not in RANK:
            continue
        try:
            yield textwrap.dedent(inspect.getsource(obj))
        except (OSError, TypeError):  # a class made with type(): its bases carry the code
            continue


def _wagtail_exports(callback) -> bool:
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    view_class = getattr(callback, "view_class", None)
    if view_class is None or not issubclass(view_class, SpreadsheetExportMixin):
        return False
    columns = getattr(callback, "view_initkwargs", {}).get("list_export") or view_class.list_export
    return bool(columns) or "self.list_export =" in inspect.getsource(view_class)


def export_routes() -> set[str]:
    producers = spreadsheet_producers()
    found = set()
    for name, callback in _routes(get_resolver()):
        function = inspect.unwrap(callback)
        third_party = f"{function.__module__}.{function.__qualname__}" in THIRD_PARTY_EXPORTS
        project = any(_names(ast.parse(source)) & producers for source in _project_sources(callback))
        if third_party or _wagtail_exports(callback) or project:
            found.add(name)
    return found


# ---------------------------------------------------------------------------------------------------------------
# Data whose every text field starts like a formula
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Seeded:
    admin: object
    base_coordinator: object


@pytest.fixture
def seeded(cast, settings) -> Seeded:
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.log_actions import log
    from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowTask

    settings.WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False  # a subject with "\r" cannot be mailed
    admin = UserFactory(username="admin", real_name="@管理员", is_superuser=True, is_staff=True)
    membership_add(user=cast.editor_x, organization=cast.base_x, role=Role.COORDINATOR)
    cast.school_a.name = "=A 学院"
    cast.school_a.save()
    cast.base_x.name = "+X 基地"
    cast.base_x.save()
    workflow = Workflow.objects.create(name="-审核流程")
    task = GroupApprovalTask.objects.create(name="@审核")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for number, payload in enumerate(PAYLOADS):
        user = UserFactory(real_name=f"{payload}名{number}")
        membership_add(user=user, organization=cast.school_a, role=Role.LEARNER)
        school_class = SchoolClassFactory(organization=cast.school_a, name=f"{payload}班", grade=f"{payload}年级")
        StudentProfileFactory(
            user=user,
            organization=cast.school_a,
            student_number=f"{payload}{number}",
            school_class=school_class,
            grade=f"{payload}年级",
        )
        activity = ServiceActivityFactory(
            organizer=cast.school_a,
            title=f"{payload}活动",
            content=f"{payload}内容",
            place=f"{payload}地点",
            occurred_on=datetime.date(2026, 10, 1 + number),
        )
        entry, _created = hours_entry_record(
            user=user,
            kind=HoursKind.PRACTICE,
            minutes=60,
            occurred_on=activity.occurred_on,
            source_key=f"practice:{activity.pk}:{user.pk}",
            credited_organization=cast.school_a,
            recorded_by_organization=cast.school_a,
            description=activity.title,
            verified=True,
        )
        ServiceParticipation.objects.create(activity=activity, user=user, minutes=60, hours_entry=entry)
        _base, _curriculum, course, _lessons = course_tree(
            cast.base_x, lessons=0, title=f"{payload}课程", earns_certificate=True, credit_hours=1
        )
        definition = CertificateDefinitionFactory(
            issuer=cast.base_x, course=course, title=f"{payload}证书", number_prefix=f"NP{number}"
        )
        completion = complete(user, course)
        certificate, _created = certificate_issue(
            definition=definition, learner=user, source={"completion_id": completion.pk}
        )
        certificate_revoke(certificate=certificate, actor=cast.editor_x, reason=f"{payload}撤销")
        # What the admin's reports list: pages in moderation, logged, published and locked (after the workflow
        # started: its first task unlocks the page); redirects.
        page = Page.objects.get(pk=course.pk).specific
        page.save_revision(user=admin)
        workflow.start(page, admin)
        log(instance=page, action="wagtail.edit", user=admin)
        Page.objects.filter(pk=course.pk).update(
            locked=True, locked_by=admin, locked_at=timezone.now(), last_published_at=timezone.now()
        )
        Redirect.objects.create(old_path=f"/old-{number}", redirect_link=f"{payload}链接")
    assert CourseCompletion.objects.count() == len(PAYLOADS)
    return Seeded(admin=admin, base_coordinator=cast.editor_x)


# ---------------------------------------------------------------------------------------------------------------
# Requesting every export
# ---------------------------------------------------------------------------------------------------------------


def _body(response) -> bytes:
    assert response.status_code == 200, (response.status_code, response.content[:300])
    return b"".join(response.streaming_content) if response.streaming else response.content


def _csv_cells(response) -> list[str]:
    text = _body(response).decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _as_written(value: object) -> object:
    """XML reads a carriage return back as a line feed: a cell written as "\r..." (or "'\r...") is read so."""
    if isinstance(value, str):
        for start in ("\n", "'\n"):
            if value.startswith(start):
                return start.replace("\n", "\r") + value[len(start) :]
    return value


def _xlsx_cells(response) -> list[object]:
    workbook = load_workbook(io.BytesIO(_body(response)))
    return [_as_written(cell.value) for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def _logged_in(client, user):
    client.force_login(user, backend="accounts.backends.UsernameOrPhoneBackend")
    return client


def _compliance(client, cast, seeded):
    client = _logged_in(client, cast.coordinator_a)
    url = lambda file_format: reverse("schools:school_export", args=[cast.school_a.slug, file_format])  # noqa: E731
    return [
        (_csv_cells(client.get(url("csv"), {"year": "2026-2027"})), True),
        (_xlsx_cells(client.get(url("xlsx"), {"year": "2026-2027"})), True),
    ]


def _roster_template(client, cast, seeded):
    client = _logged_in(client, cast.coordinator_a)
    url = lambda file_format: reverse("schools:school_roster_template", args=[file_format])  # noqa: E731
    return [(_csv_cells(client.get(url("csv"))), False), (_xlsx_cells(client.get(url("xlsx"))), False)]


def _issued_certificates(client, cast, seeded):
    client = _logged_in(client, seeded.base_coordinator)
    return [(_csv_cells(client.get(reverse("certificates:issued_export"))), True)]


def _exchange(name: str, user_of):
    def request(client, cast, seeded):
        api = token_client(user_of(cast, seeded))
        path = reverse(f"api:{name}")
        return [
            (_csv_cells(api.get(path, {"format": "csv"})), True),
            (_csv_cells(api.get(path, HTTP_ACCEPT="text/csv")), True),
        ]

    return request


def _question_template(client, cast, seeded):
    client = _logged_in(client, seeded.admin)
    return [(_xlsx_cells(client.get(reverse("assessments_admin:xlsx_template"))), False)]


def _wagtail(name: str, **params):
    def request(client, cast, seeded):
        client = _logged_in(client, seeded.admin)
        url = reverse(name)
        return [
            (_csv_cells(client.get(url, {**params, "export": "csv"})), True),
            (_xlsx_cells(client.get(url, {**params, "export": "xlsx"})), True),
        ]

    return request


def _form_submissions(client, cast, seeded):
    """No page type of the project takes form submissions, so there is nothing to export (yet)."""
    from wagtail.contrib.forms.models import FormMixin
    from wagtail.models import Page

    form_pages = [model for model in apps.get_models() if issubclass(model, Page) and issubclass(model, FormMixin)]
    assert form_pages == [], "a form page type exists: request its submissions export here"
    return []


def _school_a_coordinator(cast, seeded):
    return cast.coordinator_a


def _base_coordinator(cast, seeded):
    return seeded.base_coordinator


EXPORTS = {
    "schools:school_export": _compliance,
    "schools:school_roster_template": _roster_template,
    "certificates:issued_export": _issued_certificates,
    "api:exchange-volunteers": _exchange("exchange-volunteers", _school_a_coordinator),
    "api:exchange-service-records": _exchange("exchange-service-records", _school_a_coordinator),
    "api:exchange-training-records": _exchange("exchange-training-records", _base_coordinator),
    "assessments_admin:xlsx_template": _question_template,
    "wagtailadmin_reports:locked_pages": _wagtail("wagtailadmin_reports:locked_pages"),
    "wagtailadmin_reports:locked_pages_results": _wagtail("wagtailadmin_reports:locked_pages_results"),
    "wagtailadmin_reports:aging_pages": _wagtail("wagtailadmin_reports:aging_pages"),
    "wagtailadmin_reports:aging_pages_results": _wagtail("wagtailadmin_reports:aging_pages_results"),
    "wagtailadmin_reports:workflow": _wagtail("wagtailadmin_reports:workflow"),
    "wagtailadmin_reports:workflow_results": _wagtail("wagtailadmin_reports:workflow_results"),
    "wagtailadmin_reports:workflow_tasks": _wagtail("wagtailadmin_reports:workflow_tasks"),
    "wagtailadmin_reports:workflow_tasks_results": _wagtail("wagtailadmin_reports:workflow_tasks_results"),
    "wagtailadmin_reports:site_history": _wagtail("wagtailadmin_reports:site_history"),
    "wagtailadmin_reports:site_history_results": _wagtail("wagtailadmin_reports:site_history_results"),
    "wagtailredirects:index": _wagtail("wagtailredirects:index"),
    "wagtailredirects:index_results": _wagtail("wagtailredirects:index_results"),
    "wagtailforms:list_submissions": _form_submissions,
    "wagtailforms:list_submissions_results": _form_submissions,
}


def _unsafe(cells: list[object]) -> list[str]:
    return [cell for cell in cells if isinstance(cell, str) and cell.startswith(DANGEROUS) and not NUMBER.match(cell)]


def test_every_export_route_is_covered():
    assert export_routes() == set(EXPORTS)


@pytest.mark.parametrize("route", sorted(EXPORTS))
def test_no_exported_cell_starts_like_a_formula(route, client, cast, seeded):
    for cells, seeded_text_reaches_it in EXPORTS[route](client, cast, seeded):
        assert _unsafe(cells) == [], route
        if seeded_text_reaches_it:
            neutralised = {cell[1] for cell in cells if isinstance(cell, str) and cell.startswith("'")}
            assert neutralised >= set(DANGEROUS), (route, sorted(neutralised))


def test_the_route_finder_sees_a_view_that_calls_a_writer_through_a_helper(tmp_path):
    tree = ast.parse("def view(request):\n    return xlsx_response(title='t', header=[], rows=[], file_name='f')\n")
    assert _names(tree) & spreadsheet_producers() == {"xlsx_response"}


def test_only_core_writes_spreadsheets():
    """csv.writer and openpyxl's Workbook appear in core.spreadsheets only: every other module goes through it."""
    offenders = []
    for app in RANK:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts or relative == Path("core/spreadsheets.py"):
                continue
            names = _names(ast.parse(path.read_text(encoding="utf-8")))
            offenders += [f"{relative}: {name}" for name in sorted(names & {"writer", "DictWriter", "Workbook"})]
    assert offenders == []
