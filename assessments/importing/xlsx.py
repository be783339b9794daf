"""The XLSX question template (docs/question-import.md): one question per row of the first sheet."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from assessments.importing.base import ImportFormatError, ParsedOption, ParsedQuestion, refuse_control_characters
from assessments.importing.moodle import FALSE_TEXT, TRUE_TEXT
from core.spreadsheets import Sheet, SpreadsheetError, table_rows, xlsx_write_sheets

OPTION_COLUMNS = [f"option_{letter}" for letter in "abcdef"]
COLUMNS = ["key", "type", "question", *OPTION_COLUMNS, "correct", "explanation", "tags", "difficulty", "category"]
REQUIRED_COLUMNS = {"type", "question"}
TYPE_NAMES = {
    "single": "single",
    "单选": "single",
    "单选题": "single",
    "multiple": "multiple",
    "多选": "multiple",
    "多选题": "multiple",
    "truefalse": "truefalse",
    "判断": "truefalse",
    "判断题": "truefalse",
    "fill": "fill",
    "填空": "fill",
    "填空题": "fill",
    "ordering": "ordering",
    "排序": "ordering",
    "排序题": "ordering",
}
TRUE_WORDS = {"true", "t", "对", "正确", "是", "√", "yes"}
FALSE_WORDS = {"false", "f", "错", "错误", "否", "×", "no"}

EXAMPLES = [
    [
        "cpr-depth",
        "single",
        "成人心肺复苏时，胸外按压的深度应为多少？",
        "3-4 厘米",
        "5-6 厘米",
        "7-8 厘米",
        "",
        "",
        "",
        "B",
        "成人胸外按压深度为 5-6 厘米。",
        "cpr",
        1,
        "急救/心肺复苏",
    ],
    [
        "aed-steps",
        "multiple",
        "使用 AED 时，下列哪些做法正确？",
        "开机后按语音提示操作",
        "分析心律时继续按压",
        "电击前确认无人接触患者",
        "",
        "",
        "",
        "A,C",
        "分析心律和电击时任何人不得接触患者。",
        "aed",
        2,
        "急救/AED",
    ],
    [
        "scene-safety",
        "truefalse",
        "发现有人倒地后，应先确认现场环境是否安全。",
        "",
        "",
        "",
        "",
        "",
        "",
        "对",
        "确保施救者与患者安全是第一步。",
        "cpr",
        1,
        "急救",
    ],
    ["fire-call", "fill", "我国的火警电话是____。", "119", "", "", "", "", "", "", "火警电话 119。", "fire", 1, "消防"],
    [
        "extinguisher",
        "ordering",
        "请按正确顺序排列使用灭火器的步骤。",
        "提起灭火器",
        "拔出保险销",
        "握住喷管对准火焰根部",
        "压下压把喷射",
        "",
        "",
        "",
        "口诀：提、拔、握、压。",
        "fire",
        2,
        "消防",
    ],
]

INSTRUCTIONS = [
    "只导入第一个工作表（questions），每行一题；examples 工作表是示例。Only the first sheet is imported.",
    "type：single 单选 / multiple 多选 / truefalse 判断 / fill 填空 / ordering 排序。",
    "option_a…option_f：选项；填空题写所有可接受的答案；排序题按正确顺序写步骤。",
    "correct：单选写一个字母（B），多选写多个字母（A,C），判断写 对 或 错；填空和排序留空。",
    "key：可选，题目的稳定标识；再次导入时更新同 key 的题目。留空则按题目内容识别，不会重复导入。",
    "difficulty：1 易 / 2 中 / 3 难（默认 1）。tags：逗号分隔。category：分类，可用 / 分层。",
    "多选题评分：每选对一项得 1/k 分，每选错一项扣 1/k 分（k 为正确项数），最低 0 分。",
]


def parse(data: bytes) -> list[ParsedQuestion]:
    """The questions of the first sheet, read within core.spreadsheets' limits (rows, columns, cells, zip bombs)."""
    rows = table_rows(data, file_name="questions.xlsx", cached_formula_values=True)
    try:
        try:
            _number, first = next(rows, (1, []))
            header = [value.lower() for value in first]
            missing = REQUIRED_COLUMNS - set(header)
            if missing:
                raise ImportFormatError(
                    _("The first row must name the columns; missing: %(columns)s.")
                    % {"columns": ", ".join(sorted(missing))}
                )
            unknown = [name for name in header if name and name not in COLUMNS]
            if unknown:
                raise ImportFormatError(
                    _("Unknown columns: %(columns)s (see the template).") % {"columns": ", ".join(unknown)}
                )
            parsed: list[ParsedQuestion] = []
            for row_number, row in rows:
                values = {name: value for name, value in zip(header, row, strict=False) if name}
                parsed.append(_question(len(parsed) + 1, row_number, values))
        except SpreadsheetError as error:
            raise ImportFormatError(error.message) from error
    finally:
        rows.close()
    return refuse_control_characters(parsed)


def _question(position: int, row_number: int, values: dict[str, str]) -> ParsedQuestion:
    raw_type = values.get("type", "")
    question = ParsedQuestion(
        position=position,
        position_label=_("row %(n)d") % {"n": row_number},
        type=TYPE_NAMES.get(raw_type.lower(), raw_type),
        key=values.get("key", ""),
        text=values.get("question", ""),
        explanation=values.get("explanation", ""),
        tags=[tag.strip() for tag in values.get("tags", "").replace("，", ",").split(",") if tag.strip()],
        category=values.get("category", ""),
    )
    difficulty = values.get("difficulty", "") or "1"
    question.difficulty = int(difficulty) if difficulty.isdigit() else 0
    texts = [(index, values.get(column, "")) for index, column in enumerate(OPTION_COLUMNS)]
    filled = [(index, text) for index, text in texts if text]
    correct = values.get("correct", "").upper().replace("，", ",").replace(" ", "")
    if question.type in ("single", "multiple"):
        letters = [letter for letter in correct.split(",") if letter]
        bad = [letter for letter in letters if len(letter) != 1 or not "A" <= letter <= "F"]
        if bad or not letters:
            question.problems.append(
                _(
                    "Column “correct” must name the right options by letter (A-F), e.g. “B” or "
                    "“A,C”; it says “%(value)s”."
                )
                % {"value": values.get("correct", "")}
            )
        chosen = {ord(letter) - ord("A") for letter in letters if not bad}
        empty = [chr(ord("A") + index) for index in chosen if not texts[index][1]]
        if empty:
            question.problems.append(_("The correct option %(letters)s is empty.") % {"letters": ",".join(empty)})
        question.options = [ParsedOption(text, index in chosen) for index, text in filled]
    elif question.type == "truefalse":
        word = values.get("correct", "").strip().lower()
        if word not in TRUE_WORDS | FALSE_WORDS:
            question.problems.append(_("Column “correct” of a true/false question must say 对 or 错 (true/false)."))
        right = word in TRUE_WORDS
        question.options = [ParsedOption(TRUE_TEXT, right), ParsedOption(FALSE_TEXT, not right)]
    elif question.type in ("fill", "ordering"):
        question.options = [ParsedOption(text, True) for _index, text in filled]
    return question


def template_workbook() -> bytes:
    """The downloadable template: an empty Questions sheet, an Examples sheet and the instructions."""
    buffer = io.BytesIO()
    xlsx_write_sheets(
        buffer,
        sheets=[
            Sheet(title="questions", header=COLUMNS, rows=[], freeze_header=True),
            Sheet(title="examples", header=COLUMNS, rows=EXAMPLES, freeze_header=True),
            Sheet(title="说明 instructions", header=[], rows=[[line] for line in INSTRUCTIONS]),
        ],
    )
    return buffer.getvalue()
