"""import_questions / export_questions: Moodle XML, GIFT, XLSX and YAML."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from assessments.importing import ParsedOption, ParsedQuestion, gift, moodle, parse_file, xlsx
from assessments.models import Question, QuestionType
from assessments.services import questions_import
from tests.assessments.factories import QuestionBankFactory, QuestionFactory

FIXTURES = Path(__file__).parent / "fixtures"
MOODLE = FIXTURES / "moodle_first_aid.xml"


def snapshot(bank):
    """Everything that makes the questions of a bank what they are."""
    return sorted(
        (
            q.key,
            q.type,
            q.text,
            q.explanation,
            q.difficulty,
            q.category,
            sorted(q.tags.names()),
            [(o.text, o.is_correct, o.feedback) for o in q.options.order_by("sort_order", "id")],
        )
        for q in bank.questions.all()
    )


def run_import(bank, path, *flags):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_questions", bank.key, str(path), *flags, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_moodle_file_with_an_essay_imports_nothing_without_skip_invalid(cast):
    bank = QuestionBankFactory(organization=cast.base_x)
    with pytest.raises(CommandError, match="nothing was imported"):
        run_import(bank, MOODLE)
    assert not Question.objects.exists()


def test_moodle_file_imports_the_supported_questions_and_reports_the_essay(cast):
    bank = QuestionBankFactory(organization=cast.base_x)
    out, err = run_import(bank, MOODLE, "--skip-invalid")
    assert "question 4 (心得体会)" in err and "essay" in err
    assert "4 created" in out and "1 skipped" in out
    depth = bank.questions.get(key="cpr-depth")
    assert depth.type == QuestionType.SINGLE
    assert depth.text == "成人心肺复苏时，胸外按压的深度应为多少？"  # CDATA HTML became plain text
    assert depth.explanation == "成人胸外按压深度为 5-6 厘米。"
    assert depth.category == "默认 for 应急救护"
    assert list(depth.tags.names()) == ["cpr"]
    assert [(o.text, o.is_correct, o.feedback) for o in depth.options.all()] == [
        ("3-4 厘米", False, "太浅，按压无效。"),
        ("5-6 厘米", True, ""),
        ("7-8 厘米", False, ""),
    ]
    aed = bank.questions.get(type=QuestionType.MULTIPLE)
    assert aed.category == "默认 for 应急救护/心肺复苏/AED"  # nested categories
    assert aed.text == "使用 AED 时，下列哪些做法正确？\n请选择所有正确项"
    assert [o.is_correct for o in aed.options.all()] == [True, False, True]
    truth = bank.questions.get(type=QuestionType.TRUEFALSE)
    assert [(o.text, o.is_correct) for o in truth.options.all()] == [("正确", True), ("错误", False)]
    fill = bank.questions.get(type=QuestionType.FILL)
    assert [o.text for o in fill.options.all()] == ["120"]  # a 0% answer is a wrong answer, not an accepted one


def test_reimporting_the_same_file_never_duplicates(cast):
    bank = QuestionBankFactory(organization=cast.base_x)
    run_import(bank, MOODLE, "--skip-invalid")
    before = snapshot(bank)
    option_ids = sorted(bank.questions.values_list("options__id", flat=True))
    out, _err = run_import(bank, MOODLE, "--skip-invalid")
    assert "0 created" in out and "4 unchanged" in out
    assert snapshot(bank) == before
    assert sorted(bank.questions.values_list("options__id", flat=True)) == option_ids


def test_export_reimports_to_the_same_questions(cast, tmp_path):
    bank = QuestionBankFactory(organization=cast.base_x)
    run_import(bank, MOODLE, "--skip-invalid")
    ordering = QuestionFactory(
        bank=bank, type=QuestionType.ORDERING, text="按顺序 <排列> & 步骤", difficulty=3, category="消防"
    )
    ordering.tags.add("fire")
    ordering.save()
    QuestionFactory(
        bank=bank,
        type=QuestionType.FILL,
        options=[("AED", True), ("自动体外除颤器", True)],
        explanation="第一行\n第二行",
    )
    exported = tmp_path / "bank.xml"
    call_command("export_questions", bank.key, str(exported), stdout=io.StringIO())
    copy = QuestionBankFactory(organization=cast.base_x)
    run_import(copy, exported)
    assert snapshot(copy) == snapshot(bank)
    out, _err = run_import(bank, exported)
    assert "6 unchanged" in out


def test_xml_problems_are_reported_with_their_position(cast, tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text(
        '<quiz><question type="multichoice"><name><text>无正确项</text></name>'
        '<questiontext format="html"><text>哪个对？</text></questiontext><single>true</single>'
        '<answer fraction="0"><text>甲</text></answer><answer fraction="0"><text>乙</text></answer></question>'
        '<question type="matching"><name><text>配对</text></name><questiontext><text>配对题</text></questiontext>'
        "</question></quiz>",
        encoding="utf-8",
    )
    bank = QuestionBankFactory(organization=cast.base_x)
    with pytest.raises(CommandError):
        run_import(bank, bad)
    report = questions_import(bank=bank, questions=parse_file(bad))
    messages = [str(problem) for problem in report.problems]
    assert messages[0].startswith("question 1 (无正确项)") and "exactly one correct" in messages[0]
    assert messages[1].startswith("question 2 (配对)") and "matching" in messages[1]
    assert not report.imported and not bank.questions.exists()


def test_malformed_xml_is_a_clear_error(cast, tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_text("<quiz><question>", encoding="utf-8")
    bank = QuestionBankFactory(organization=cast.base_x)
    with pytest.raises(CommandError, match="not well-formed XML"):
        run_import(bank, broken)
    entity_bomb = tmp_path / "bomb.xml"
    entity_bomb.write_text('<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "aaaa">]><quiz>&a;</quiz>', encoding="utf-8")
    with pytest.raises(Exception):  # noqa: B017 - defusedxml refuses entity declarations outright
        run_import(bank, entity_bomb)
    assert not bank.questions.exists()


GIFT_SOURCE = """
// 应急救护 GIFT 题目
$CATEGORY: $course$/top/急救/心肺复苏

// [id:gift-depth] [tag:cpr]
::按压深度::成人胸外按压的深度是多少？{
=5-6 厘米#正确
~3-4 厘米#太浅
~7-8 厘米
####成人按压深度 5-6 厘米。
}

::现场安全::施救前应先确认现场环境安全。{T}

::急救电话::我国的医疗急救电话是 {=120 =１２０} 。

::AED::使用 AED 的正确做法有：{
~%50%按语音提示操作
~%50%电击前确认无人接触患者
~%-100%分析心律时继续按压
}

::体会::谈谈你的体会。{}

::配对::把电话和用途配对。{=120 -> 急救 =119 -> 火警}
"""


def test_gift_import(cast, tmp_path):
    path = tmp_path / "bank.gift"
    path.write_text(GIFT_SOURCE, encoding="utf-8")
    parsed = parse_file(path)
    assert [q.type for q in parsed] == ["single", "truefalse", "fill", "multiple", "essay", "matching"]
    depth = parsed[0]
    assert (depth.key, depth.tags, depth.category, depth.explanation) == (
        "gift-depth",
        ["cpr"],
        "急救/心肺复苏",
        "成人按压深度 5-6 厘米。",
    )
    assert [(o.text, o.is_correct, o.feedback) for o in depth.options] == [
        ("5-6 厘米", True, "正确"),
        ("3-4 厘米", False, "太浅"),
        ("7-8 厘米", False, ""),
    ]
    assert parsed[2].text == "我国的医疗急救电话是 ____ 。"
    assert [o.is_correct for o in parsed[3].options] == [True, True, False]
    bank = QuestionBankFactory(organization=cast.base_x)
    report = questions_import(bank=bank, questions=parsed, skip_invalid=True)
    assert report.created == 4 and report.skipped == 2
    assert {problem.position for problem in report.problems} == {5, 6}
    again = questions_import(bank=bank, questions=gift.parse(GIFT_SOURCE), skip_invalid=True)
    assert (again.created, again.unchanged) == (0, 4)  # questions without an id are matched by content hash


def test_xlsx_template_round_trip_and_row_errors(cast, tmp_path):
    template = load_workbook(io.BytesIO(xlsx.template_workbook()))
    assert [cell.value for cell in template["questions"][1]] == xlsx.COLUMNS
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(xlsx.COLUMNS)
    for row in xlsx.EXAMPLES:
        sheet.append(row)
    sheet.append(["bad-single", "单选", "没有正确答案的题", "甲", "乙", "", "", "", "", "", "", "", 1, ""])
    sheet.append(["bad-type", "essay", "论述题", "", "", "", "", "", "", "", "", "", 1, ""])
    path = tmp_path / "questions.xlsx"
    workbook.save(path)
    parsed = parse_file(path)
    bank = QuestionBankFactory(organization=cast.base_x)
    report = questions_import(bank=bank, questions=parsed)
    assert not report.imported and not bank.questions.exists()
    labels = [problem.label for problem in report.problems]
    assert labels == ["row 7", "row 8"]
    report = questions_import(bank=bank, questions=parsed, skip_invalid=True)
    assert report.created == 5
    aed = bank.questions.get(key="aed-steps")
    assert [o.is_correct for o in aed.options.all()] == [True, False, True]
    assert bank.questions.get(key="scene-safety").options.get(is_correct=True).text == "正确"
    steps = bank.questions.get(key="extinguisher")
    assert [o.text for o in steps.options.all()] == ["提起灭火器", "拔出保险销", "握住喷管对准火焰根部", "压下压把喷射"]
    assert steps.difficulty == 2 and steps.category == "消防"


def test_duplicate_keys_in_one_file_are_reported(cast):
    bank = QuestionBankFactory(organization=cast.base_x)
    twice = [
        ParsedQuestion(position=n, type="fill", text="电话？", key="same", options=[ParsedOption("120", True)])
        for n in (1, 2)
    ]
    report = questions_import(bank=bank, questions=twice)
    assert [problem.position for problem in report.problems] == [2]
    assert not bank.questions.exists()


def test_unknown_file_type_is_rejected(cast, tmp_path):
    path = tmp_path / "questions.csv"
    path.write_text("a,b", encoding="utf-8")
    bank = QuestionBankFactory(organization=cast.base_x)
    with pytest.raises(CommandError, match="Unknown file type"):
        run_import(bank, path)


def test_moodle_parser_keeps_document_order_positions():
    parsed = moodle.parse(MOODLE.read_bytes())
    assert [q.position for q in parsed] == [1, 2, 3, 4, 5]
    assert parsed[3].type == "essay" and parsed[3].problems
