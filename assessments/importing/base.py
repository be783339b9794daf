"""The parsed form every importer produces, and format detection."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from assessments.grading import normalise_fill


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


def parse_file(path: str | Path) -> list[ParsedQuestion]:
    """Parse a question file by its extension: .xml (Moodle), .gift/.txt (GIFT), .xlsx (template), .yaml/.yml."""
    from assessments.importing import gift, moodle, xlsx, yaml_bank

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xml":
        return moodle.parse(path.read_bytes())
    if suffix in (".gift", ".txt"):
        return gift.parse(path.read_text(encoding="utf-8-sig"))
    if suffix == ".xlsx":
        return xlsx.parse(path.read_bytes())
    if suffix in (".yaml", ".yml"):
        return yaml_bank.parse_questions(path.read_text(encoding="utf-8"))
    raise ImportFormatError(
        _("Unknown file type “%(suffix)s”: use .xml (Moodle XML), .gift, .xlsx or .yaml.") % {"suffix": suffix}
    )
