"""No user ever sees a raw `%(name)s`: every translatable message with a named placeholder is interpolated where it
is made (`_("...") % {...}`, or Django's `ValidationError(message, params=...)`), and the error paths that had one
answer with the value in its place."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.assessments.factories import quiz_with_questions

PROJECT = Path(__file__).resolve().parents[2]
APPS = ["core", "accounts", "hours", "schools", "content", "assessments", "courses", "badges", "certificates", "xapi"]
APPS += ["exchange", "lms"]
GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
PLACEHOLDER = re.compile(r"%\(\w+\)")


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _uninterpolated_messages(source: str) -> list[tuple[int, str]]:
    """(line, message) of every gettext call with a named placeholder that is neither the left operand of `%` nor
    an argument of a call given `params=` (Django's ValidationError interpolates those itself)."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _called_name(node) in GETTEXT):
            continue
        texts = [arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
        if not any(PLACEHOLDER.search(text) for text in texts):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Mod) and parent.left is node:
            continue
        if isinstance(parent, ast.Call) and any(keyword.arg == "params" for keyword in parent.keywords):
            continue
        found.append((node.lineno, next(text for text in texts if PLACEHOLDER.search(text))))
    return found


def test_the_check_finds_a_message_left_for_later_and_accepts_interpolated_ones():
    source = """
from django.utils.translation import gettext as _, ngettext
from django.core.exceptions import ValidationError
MESSAGES = {"position": _("“%(value)s” is not a question position.")}
ok = _("Row %(row)d") % {"row": 1}
ok_plural = ngettext("%(n)d item", "%(n)d items", 2) % {"n": 2}
ok_params = ValidationError(_("Bad %(value)s"), params={"value": 1})
raise ValidationError(_("Missing %(name)s"))
"""
    assert _uninterpolated_messages(source) == [
        (4, "“%(value)s” is not a question position."),
        (8, "Missing %(name)s"),
    ]


def test_every_message_with_a_named_placeholder_is_interpolated_where_it_is_made():
    found = []
    for app in APPS:
        for path in sorted((PROJECT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for line, message in _uninterpolated_messages(path.read_text(encoding="utf-8")):
                found.append(f"{path.relative_to(PROJECT)}:{line}: {message}")
    assert found == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"one": [0]}, "“one”"),
        ({str(position): [0] for position in range(1, 502)}, "500"),
    ],
)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_answers_api_names_the_bad_value(cast, client_for, answers, expected, language):
    quiz = quiz_with_questions(organization=cast.base_x, count=2, standalone_open=True)
    client = client_for(cast.learner)
    attempt = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts/", HTTP_ACCEPT_LANGUAGE=language).json()
    response = client.put(
        f"/api/v1/attempts/{attempt['id']}/answers/",
        {"answers": answers},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "%(" not in body and expected in body, body
