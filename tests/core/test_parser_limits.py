"""Uploaded tables that would exhaust the machine are refused while being read, with the usual message.

Every attack runs under `bounded()`: past its time or memory it stops with Exhausted instead of eating the machine
(the 1.5 KB XLSX below took 64 s and 2.9 GB, then MemoryError, before the reader was bounded)."""

from __future__ import annotations

import io
import resource
import signal
import time
import zipfile
from contextlib import contextmanager

import pytest
from django.utils import translation

from core import spreadsheets
from core.spreadsheets import SpreadsheetError, read_table

ALIASES = {"学号": "student_number", "姓名": "real_name"}


class Exhausted(BaseException):
    """Not an Exception: no `except Exception` of the code under test can turn it into a refusal."""


def _address_space() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmSize")


@contextmanager
def bounded(*, seconds: int = 10, memory_mb: int = 400):
    """Run the block with `seconds` of time and `memory_mb` more address space; past either it fails fast."""

    def alarm(signum, frame):
        raise Exhausted(f"took more than {seconds} s")

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _address_space() + memory_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    previous = signal.signal(signal.SIGALRM, alarm)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    signal.alarm(seconds)
    try:
        yield
    except MemoryError as error:
        raise Exhausted(f"needed more than {memory_mb} MB") from error
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# A minimal workbook, written by hand so that a test can say exactly what the sheet XML holds.
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
        '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"'
        '/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName='
        '"/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>'
        '<sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>'
        f'<Relationship Id="rId3" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/></Relationships>'
    ),
    "xl/styles.xml": f'<styleSheet xmlns="{MAIN}"><cellXfs count="1"><xf numFmtId="0"/></cellXfs></styleSheet>',
    "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}"><si><t>学号</t></si><si><t>姓名</t></si></sst>',
}
HEADER = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
ONE_STUDENT = '<row r="2"><c r="A2"><v>1001</v></c><c r="B2" t="inlineStr"><is><t>张三</t></is></c></row>'


def sheet(rows: str, dimension: str = "A1:B2") -> str:
    return f'<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'


def xlsx(sheet_xml: str, *, stored: bool = False, **parts: str) -> bytes:
    """A workbook with this first sheet; `parts` replace or add parts ("xl/styles.xml"=...)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as archive:
        for name, text in {**PARTS, "xl/worksheets/sheet1.xml": sheet_xml, **parts}.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def roster(data: bytes, file_name: str = "roster.xlsx"):
    return read_table(data, file_name=file_name, aliases=ALIASES, required=["student_number"])


def test_a_hand_written_workbook_reads_like_one_from_excel():
    table = roster(xlsx(sheet(HEADER + ONE_STUDENT)))
    assert table.rows == [{"student_number": "1001", "real_name": "张三"}] and table.row_numbers == [2]


def test_an_xlsx_declaring_the_largest_dimension_is_read_in_constant_time_and_memory():
    # 2 KB. openpyxl pads each row to 16,384 columns and yields every row down to the one at the bottom.
    data = xlsx(sheet(HEADER + ONE_STUDENT + '<row r="1048576"/>', dimension="A1:XFD1048576"))
    assert len(data) < 2500
    started = time.perf_counter()
    with bounded(seconds=10, memory_mb=200):
        table = roster(data)
    assert table.rows == [{"student_number": "1001", "real_name": "张三"}]
    assert time.perf_counter() - started < 5


def test_a_row_a_billion_rows_down_costs_nothing_in_between():
    far = '<row r="1000000000"><c r="A1000000000"><v>1002</v></c></row>'
    with bounded(seconds=10, memory_mb=200):
        table = roster(xlsx(sheet(HEADER + ONE_STUDENT + far, dimension="A1")))
    assert table.row_numbers == [2, 1000000000]


def _bomb(unpacked_mb: int) -> bytes:
    """A sheet whose XML is mostly spaces: a few kilobytes packed, `unpacked_mb` unpacked."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(sheet(HEADER + ONE_STUDENT).replace("</sheetData>", "").encode())
            for _megabyte in range(unpacked_mb):
                member.write(b" " * (1024 * 1024))
            member.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("unpacked_mb", "expected"),
    [(60, "unpacks to more than 50 MB"), (20, "unpacks to more than 100 times its packed size")],
)
def test_a_zip_bomb_is_refused_from_the_sizes_the_zip_declares_before_anything_is_unpacked(unpacked_mb, expected):
    data = _bomb(unpacked_mb)
    with bounded(seconds=5, memory_mb=100), pytest.raises(SpreadsheetError, match=expected):
        roster(data)


def _rows(count: int, template: str) -> str:
    return "".join(template.format(n=n) for n in range(2, count + 2))


@pytest.mark.parametrize(
    ("sheet_xml", "expected"),
    [
        # Content below the limit of rows.
        (sheet(HEADER + _rows(20001, '<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>')), "more than 20000 rows"),
        # Empty rows are free only up to a point (a million <row/> pack into 30 KB).
        (sheet(HEADER + "<row/>" * 800_000), "more than 20000 empty rows"),
        # A value beyond the last column read.
        (sheet(HEADER + '<row r="2"><c r="BZ2" t="inlineStr"><is><t>x</t></is></c></row>'), "more than 50 columns"),
        # A million empty cells in one row: openpyxl builds the whole row before yielding it.
        (sheet(HEADER + '<row r="2">' + "<c/>" * 1_000_000 + "</row>"), "more than 300000 cells"),
        # A million rich-text runs in one cell.
        (
            sheet(HEADER + '<row r="2"><c r="A2" t="inlineStr"><is>' + "<r/>" * 1_000_000 + "</is></c></row>"),
            "one cell or row holds more than 2000 XML elements",
        ),
    ],
    ids=["rows", "empty-rows", "columns", "cells", "cell-elements"],
)
def test_each_limit_is_checked_while_reading_and_named_in_the_message(sheet_xml, expected):
    data = xlsx(sheet_xml, stored=True)  # stored: no packing ratio gives it away
    assert len(data) <= spreadsheets.MAX_UPLOAD_BYTES
    with bounded(seconds=20, memory_mb=300), pytest.raises(SpreadsheetError, match=expected):
        roster(data)


@pytest.mark.parametrize(
    "parts",
    [
        # openpyxl reads the styles whole: 800,000 formats took more than a minute.
        {"xl/styles.xml": f'<styleSheet xmlns="{MAIN}"><cellXfs>' + "<xf/>" * 800_000 + "</cellXfs></styleSheet>"},
        # ... and every defined name of the workbook.
        {
            "xl/workbook.xml": PARTS["xl/workbook.xml"].replace(
                "</sheets>",
                "</sheets><definedNames>"
                + "".join(f'<definedName name="n{i}">s!$A$1</definedName>' for i in range(100_000))
                + "</definedNames>",
            )
        },
        # ... and all shared strings at once (2 million empty ones took 27 s).
        {"xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">' + "<si/>" * 1_000_000 + "</sst>"},
    ],
    ids=["styles", "defined-names", "shared-strings"],
)
def test_the_parts_read_whole_are_bounded_before_they_are_parsed(parts):
    data = xlsx(sheet(HEADER + ONE_STUDENT), stored=True, **parts)
    with bounded(seconds=20, memory_mb=300), pytest.raises(SpreadsheetError, match=r"cannot be read safely|cells"):
        roster(data)


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04" + b"\x00" * 100,  # a cut-off upload
        xlsx(sheet(HEADER + "<row><c")),  # bad XML in the sheet
        xlsx(sheet(HEADER + '<row r="2"><c r="A2" t="s"><v>99</v></c></row>')),  # no shared string 99
        xlsx(sheet(HEADER + '<row r="2.5"><c r="A2"><v>1</v></c></row>')),  # no such row number
        xlsx(sheet(HEADER + '<row r="2"><c r="AAAAA2"><v>1</v></c></row>')),  # no such column
        xlsx(sheet(HEADER), **{"_rels/.rels": "<Relationships/>"}),  # no workbook
        xlsx(sheet(HEADER), **{"xl/styles.xml": "<styleSheet><cellXfs><xf numFmtId='x'/></cellXfs>"}),
    ],
    ids=["truncated", "bad-xml", "shared-string", "row-number", "column", "no-workbook", "bad-styles"],
)
def test_a_damaged_xlsx_is_the_usual_message_whatever_openpyxl_raises(data):
    with pytest.raises(SpreadsheetError, match="damaged or incomplete"):
        roster(data)


def test_dates_shared_strings_and_formulas_read_as_before():
    styles = (
        f'<styleSheet xmlns="{MAIN}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>'
    )
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>出生日期'
        '</t></is></c></row><row r="2"><c r="A2"><v>1001</v></c><c r="B2"><f>CONCAT("张","三")</f><v>张三</v></c>'
        '<c r="C2" s="1"><v>41713</v></c></row>'
    )
    table = read_table(
        xlsx(sheet(rows, dimension="A1:C2"), **{"xl/styles.xml": styles}),
        file_name="r.xlsx",
        aliases={**ALIASES, "出生日期": "date_of_birth"},
        required=(),
    )
    assert table.rows == [{"student_number": "1001", "real_name": '=CONCAT("张","三")', "date_of_birth": "2014-03-15"}]


def test_a_nul_in_a_csv_refuses_the_file_naming_the_row_and_the_column_as_written():
    data = "学号,姓名\n1001,张三\n1002,李\x00四\n1003,王\x01五\n".encode()
    with pytest.raises(SpreadsheetError) as refused:
        roster(data, "roster.csv")
    assert refused.value.message == (
        "Nothing was imported: row 3, column 姓名: contains a NUL character; row 4, column 姓名: contains the control "
        "character U+0001. Remove these characters and upload the file again."
    )


def test_control_characters_in_columns_the_import_ignores_do_not_matter():
    table = roster("学号,姓名,备注\n1001,张三,\x00\n".encode(), "roster.csv")
    assert table.rows == [{"student_number": "1001", "real_name": "张三"}]


def test_a_csv_of_empty_lines_and_wide_rows_stops_at_the_limits():
    with bounded(seconds=10, memory_mb=300), pytest.raises(SpreadsheetError, match="more than 20000 empty rows"):
        roster(b"\xe5\xad\xa6\xe5\x8f\xb7\n" + b"\n" * 3_000_000, "roster.csv")
    with pytest.raises(SpreadsheetError, match="more than 50 columns"):
        roster(("学号" + "," * 60 + "x\n1001\n").encode(), "roster.csv")
