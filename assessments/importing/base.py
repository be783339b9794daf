"""The parsed form every importer produces, and format detection."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from assessments.grading import normalise_fill
from core.parsing import control_character_problem

MAX_FILE_BYTES = 10 * 1024 * 1024  # Moodle XML and GIFT; XLSX and YAML have the limits of core.spreadsheets/parsing


class ImportFormatError(Exception):
    """The file as a whole cannot be read (not XML, wrong columns, unknown extension)."""


@dataclass
class ParsedOption:
    text: str
    is_correct: bool = False
    feedback: str = ""


@dataclass
class ParsedQuestion:
    position: int  # 1-based position among the questions of the file (or the spreadsheet row)
    type: str  # one of QuestionType, or the source's own name for a type the engine does not support
    text: str = ""
    options: list[ParsedOption] = field(default_factory=list)
    key: str = ""  # Moodle idnumber / YAML key / XLSX key; empty: a content hash is used
    name: str = ""
    explanation: str = ""
    tags: list[str] = field(default_factory=list)
    difficulty: int = 1
    category: str = ""
    problems: list[str] = field(default_factory=list)
    position_label: str = ""  # e.g. "row 7" for spreadsheets; defaults to "question N"

    @property
    def label(self) -> str:
        where = self.position_label or _("question %(n)d") % {"n": self.position}
        return f"{where} ({self.name})" if self.name else where

    @property
    def stable_key(self) -> str:
        if self.key:
            return self.key.strip()
        content = [self.type, normalise_fill(self.text), [[normalise_fill(o.text), o.is_correct] for o in self.options]]
        digest = hashlib.sha256(json.dumps(content, ensure_ascii=False).encode("utf-8")).hexdigest()
        return "h-" + digest[:20]


def refuse_control_characters(questions: list[ParsedQuestion]) -> list[ParsedQuestion]:
    """Give a problem to every question with a text no text may hold (a NUL cannot be stored; HTML in Moodle XML and
    GIFT can spell one as &#0;); every parser returns through here."""
    for question in questions:
        texts = [question.key, question.name, question.text, question.explanation, question.category, *question.tags]
        texts += [text for option in question.options for text in (option.text, option.feedback)]
        problem = next((problem for problem in map(control_character_problem, texts) if problem), None)
        if problem:
            question.problems.append(_("The text %(problem)s.") % {"problem": problem})
    return questions


def too_big(limit: int) -> ImportFormatError:
    return ImportFormatError(
        _("The file is larger than %(size)d MB; please split it.") % {"size": limit // (1024 * 1024)}
    )


def _read(path: Path, limit: int) -> bytes:
    """The file's bytes, refused before reading when it is larger than `limit` (or grows while being read)."""
    if path.stat().st_size > limit:
        raise too_big(limit)
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise too_big(limit)
    return data


def _text(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ImportFormatError(_("The file is not UTF-8 text; save it as UTF-8 and import it again.")) from error


def parse_file(path: str | Path) -> list[ParsedQuestion]:
    """Parse a question file by its extension: .xml (Moodle), .gift/.txt (GIFT), .xlsx (template), .yaml/.yml.

    Every format is read within its size limit, and every parser error becomes an ImportFormatError."""
    from assessments.importing import gift, moodle, xlsx, yaml_bank
    from core.parsing import MAX_YAML_BYTES
    from core.spreadsheets import MAX_UPLOAD_BYTES

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xml":
        return moodle.parse(_read(path, MAX_FILE_BYTES))
    if suffix in (".gift", ".txt"):
        return gift.parse(_text(_read(path, MAX_FILE_BYTES), "utf-8-sig"))
    if suffix == ".xlsx":
        return xlsx.parse(_read(path, MAX_UPLOAD_BYTES))
    if suffix in (".yaml", ".yml"):
        return yaml_bank.parse_questions(_text(_read(path, MAX_YAML_BYTES), "utf-8"))
    raise ImportFormatError(
        _("Unknown file type “%(suffix)s”: use .xml (Moodle XML), .gift, .xlsx or .yaml.") % {"suffix": suffix}
    )
