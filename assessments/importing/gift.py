"""GIFT (Moodle's text format): single and multiple choice (=, ~, ~%50%), true/false ({T}, {F}), short answer
({=a =b}), `::title::`, `#feedback`, `####general feedback`, `$CATEGORY:` and Moodle 4's `// [id:..] [tag:..]`.
Essay ({}), numerical ({#..}) and matching (->) questions are reported as unsupported."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from assessments.importing.base import (
    MAX_FILE_BYTES,
    ImportFormatError,
    ParsedOption,
    ParsedQuestion,
    refuse_control_characters,
    too_big,
)
from assessments.importing.moodle import FALSE_TEXT, TRUE_TEXT, category_path
from assessments.importing.text import html_to_text
from core.parsing import control_character_line

_ESCAPED = {"\\~": "\x01", "\\=": "\x02", "\\#": "\x03", "\\{": "\x04", "\\}": "\x05", "\\:": "\x06", "\\n": "\n"}
_RESTORE = {"\x01": "~", "\x02": "=", "\x03": "#", "\x04": "{", "\x05": "}", "\x06": ":"}
_ID_OR_TAG = re.compile(r"\[(id|tag):([^\]]+)\]")
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]")
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")


def _protect(value: str) -> str:
    for escaped, placeholder in _ESCAPED.items():
        value = value.replace(escaped, placeholder)
    return value


def _restore(value: str) -> str:
    for placeholder, plain in _RESTORE.items():
        value = value.replace(placeholder, plain)
    return value.strip()


def _blocks(source: str):
    """Yield (comment lines, body) for every blank-line separated block."""
    comments: list[str] = []
    body: list[str] = []
    for line in [*source.splitlines(), ""]:
        stripped = line.strip()
        if not stripped:
            if body:
                yield comments, "\n".join(body)
            if body or not comments:
                comments = []
            body = []
        elif stripped.startswith("//"):
            comments.append(stripped[2:].strip())
        else:
            body.append(line)


def _split_feedback(value: str) -> tuple[str, str]:
    text, _sep, feedback = value.partition("#")
    return _restore(text), _restore(feedback)


def parse(source: str) -> list[ParsedQuestion]:
    if len(source) > MAX_FILE_BYTES:
        raise too_big(MAX_FILE_BYTES)
    # Before anything else: no text may hold these, and \x01-\x06 stand for escaped characters below.
    refused = control_character_line(source)
    if refused is not None:
        raise ImportFormatError(_("Line %(line)d: %(problem)s.") % {"line": refused[0], "problem": refused[1]})
    parsed: list[ParsedQuestion] = []
    category = ""
    for comments, raw_body in _blocks(source):
        body = _protect(raw_body).strip()
        if body.startswith("$CATEGORY:"):
            category = category_path(body[len("$CATEGORY:") :].strip())
            continue
        question = ParsedQuestion(position=len(parsed) + 1, type="", category=category)
        parsed.append(question)
        for comment in comments:
            for kind, value in _ID_OR_TAG.findall(comment):
                if kind == "id":
                    question.key = value.strip()
                else:
                    question.tags.append(value.strip())
        title = re.match(r"^::(.*?)::", body, re.DOTALL)
        if title:
            question.name = _restore(title.group(1))
            body = body[title.end() :].strip()
        text_format = _FORMAT.match(body)
        is_html = bool(text_format) and text_format.group(1) == "html"
        if text_format:
            body = body[text_format.end() :]
        start, end = body.find("{"), body.rfind("}")
        if start < 0 or end < start:
            question.type = "description"
            question.text = _restore(body)
            question.problems.append(_("No answer block {…}: descriptions are not questions and are not imported."))
            continue
        before, answer, after = body[:start].strip(), body[start + 1 : end].strip(), body[end + 1 :].strip()
        text = before + (" ____ " + after if after else "")
        question.text = html_to_text(_restore(text)) if is_html else _restore(text)
        answer, _sep, general = answer.partition("####")
        question.explanation = _restore(general)
        _parse_answer(question, answer.strip())
    return refuse_control_characters(parsed)


def _parse_answer(question: ParsedQuestion, answer: str) -> None:
    truth = re.fullmatch(r"(T|TRUE|F|FALSE)\s*(#.*)?", answer, re.DOTALL)
    if not answer:
        question.type = "essay"
    elif truth:
        question.type = "truefalse"
        right = truth.group(1) in ("T", "TRUE")
        question.options = [ParsedOption(TRUE_TEXT, right), ParsedOption(FALSE_TEXT, not right)]
        return
    elif answer.startswith("#"):
        question.type = "numerical"
    elif "->" in answer:
        question.type = "matching"
    if question.type:
        question.problems.append(
            _(
                "GIFT %(type)s questions are not supported (supported: multiple choice, true/false, short answer); it "
                "was not imported."
            )
            % {"type": question.type}
        )
        return
    tokens = re.findall(r"([=~])([^=~]*)", answer)
    if not tokens:
        raise ImportFormatError(
            _("Question %(n)d: cannot read the answers “%(answer)s”.")
            % {"n": question.position, "answer": _restore(answer)}
        )
    wrong = [token for token in tokens if token[0] == "~"]
    right = [token for token in tokens if token[0] == "="]
    weighted = any(_WEIGHT.match(body.strip()) for _mark, body in tokens)
    if not wrong and not weighted:
        question.type = "fill"
        for _mark, body in right:
            text, feedback = _split_feedback(body)
            question.options.append(ParsedOption(text, True, feedback))
        return
    question.type = "multiple" if weighted else "single"
    for mark, body in tokens:
        body = body.strip()
        weight = _WEIGHT.match(body)
        if weight:
            body = body[weight.end() :]
        text, feedback = _split_feedback(body)
        correct = mark == "=" or (weight is not None and float(weight.group(1)) > 0)
        question.options.append(ParsedOption(text, correct, feedback))
    if question.type == "single" and len(right) != 1:
        question.problems.append(_("A single-choice GIFT question needs exactly one “=” answer."))
