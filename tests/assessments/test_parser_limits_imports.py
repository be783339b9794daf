"""Question files that would exhaust the machine or crash the import are refused with the usual message.

Attacks run under tests.core.test_parser_limits.bounded: the bank YAML below took 40 s then MemoryError, the XLSX
below more than 90 s, before the parsers were bounded."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from assessments.importing import ImportFormatError, gift, moodle, parse_file, xlsx, yaml_bank
from tests.assessments.factories import QuestionBankFactory
from tests.core.test_parser_limits import HEADER, MAIN, bounded, sheet
from tests.core.test_parser_limits import xlsx as workbook

ALIAS_BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)
QUESTION_STRINGS = f'<sst xmlns="{MAIN}"><si><t>type</t></si><si><t>question</t></si></sst>'


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def run_import(bank, path):
    call_command("import_questions", bank.key, str(path), stdout=io.StringIO(), stderr=io.StringIO())


def questions_workbook(rows: str) -> bytes:
    """A workbook whose header row reads type, question; stored, so that no packing ratio gives it away."""
    return workbook(sheet(HEADER + rows), stored=True, **{"xl/sharedStrings.xml": QUESTION_STRINGS})


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "entities.xml",
            b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><quiz>&b;'
            b"</quiz>",
            r"declares entities \(<!ENTITY>\), which are not allowed",
        ),
        (
            "external.xml",
            b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz>&x;</quiz>',
            "declares entities",
        ),
        ("elements.xml", b"<quiz>" + b"<a/>" * 300_000 + b"</quiz>", "more than 200000 elements"),
        ("big.xml", b"<quiz>" + b" " * (11 * 1024 * 1024) + b"</quiz>", "larger than 10 MB"),
        (
            "bomb.yaml",
            ALIAS_BOMB.encode() + b"questions:\n  - key: q1\n    type: fill\n    text: *i\n",
            r"Line 1 of the YAML file: anchors and aliases \(& and \*\) are not allowed",
        ),
        ("recursive.yaml", b"questions:\n  - &q\n    key: q1\n    type: fill\n    text: [*q]\n", "Line 2 .*aliases"),
        ("number.yaml", b"questions:\n  - key: q1\n    difficulty: " + b"9" * 5000 + b"\n", "Line 3 .*cannot read"),
        ("deep.yaml", b"questions: " + b"[" * 100_000 + b"]" * 100_000 + b"\n", "nested more than 50 levels"),
        ("gb18030.gift", "::题::问题 {=答案}".encode("gb18030"), "not UTF-8 text"),
        ("nul.gift", "::题::问\x00题 {=答案}".encode(), r"Line 1: contains a NUL character\."),
        ("garbage.xlsx", b"not a zip file at all", "damaged or incomplete"),
        ("empty-rows.xlsx", questions_workbook("<row/>" * 800_000), "more than 20000 empty rows"),
    ],
    ids=lambda value: value if isinstance(value, str) and value[-4:] in (".xml", "yaml", "gift", "xlsx") else "",
)
def test_the_import_command_answers_every_hostile_file_with_a_message(cast, tmp_path, name, content, expected):
    bank = QuestionBankFactory(organization=cast.base_x)
    path = tmp_path / name
    path.write_bytes(content)
    with bounded(seconds=30, memory_mb=400), pytest.raises(CommandError, match=expected):
        run_import(bank, path)
    assert not bank.questions.exists()


def test_an_xlsx_of_questions_declaring_the_largest_dimension_imports_its_rows_only(cast, tmp_path):
    # Before: more than 90 s (openpyxl pads every row to 16,384 columns, down to row 1,048,576).
    row = (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>fill</t></is></c><c r="B2" t="inlineStr"><is><t>火警电话是____。'
        '</t></is></c><c r="D2" t="inlineStr"><is><t>119</t></is></c></row><row r="1048576"/>'
    )
    header = HEADER.replace("</row>", '<c r="D1" t="inlineStr"><is><t>option_a</t></is></c></row>')
    data = workbook(sheet(header + row, dimension="A1:XFD1048576"), **{"xl/sharedStrings.xml": QUESTION_STRINGS})
    with bounded(seconds=10, memory_mb=200):
        parsed = xlsx.parse(data)
    assert [(question.type, question.text, [option.text for option in question.options]) for question in parsed] == [
        ("fill", "火警电话是____。", ["119"])
    ]
    bank = QuestionBankFactory(organization=cast.base_x)
    (tmp_path / "questions.xlsx").write_bytes(data)
    with bounded(seconds=10, memory_mb=200):
        run_import(bank, tmp_path / "questions.xlsx")
    assert list(bank.questions.values_list("text", flat=True)) == ["火警电话是____。"]


def test_text_that_cannot_be_stored_is_a_problem_of_its_question():
    questions = moodle.parse(
        b'<quiz><question type="shortanswer"><name><text>q</text></name><questiontext format="html">'
        b'<text>&lt;p&gt;a&amp;#1;b&lt;/p&gt;</text></questiontext><answer fraction="100"><text>x</text></answer>'
        b"</question></quiz>"
    )
    assert questions[0].problems == ["The text contains the control character U+0001."]
    questions = gift.parse("::q::[html]a&#31;b {=x}")
    assert questions[0].problems == ["The text contains the control character U+001F."]


def test_yaml_bank_values_no_python_type_holds_are_refused_with_their_line():
    with pytest.raises(ImportFormatError, match="Line 2 of the YAML file: cannot read this value"):
        yaml_bank.parse_bank("bank: {key: b, title: t, organization: o}\nquiz: {title: t, pass_mark: 2026-13-45}\n")


def test_a_file_larger_than_its_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "big.gift"
    path.write_bytes(b"x")
    monkeypatch.setattr("assessments.importing.base.MAX_FILE_BYTES", 0)
    with pytest.raises(ImportFormatError, match="larger than 0 MB"):
        parse_file(path)
