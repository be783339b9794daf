"""Reading uploaded tables (CSV in UTF-8, UTF-8 with BOM, GBK/GB18030; XLSX) and writing safe exports.

Cells are read as text and never evaluated: an XLSX formula arrives as its source text ("=..."), and every exported
cell that a spreadsheet would take for a formula is neutralised with a leading apostrophe (OWASP CSV injection).
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from core.parsing import control_character_problem

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20000  # rows with something in them, below the header
MAX_BLANK_ROWS = 20000  # empty rows read on the way (between the rows, or left over below them)
MAX_COLUMNS = 50
MAX_CELLS = 300_000  # cells of the first sheet, empty (formatted) ones included, and shared strings
MAX_TEXT_CHARACTERS = 10_000_000  # all cells together: a shared string counts once per cell that shows it
MAX_XLSX_UNPACKED_BYTES = 50 * 1024 * 1024  # all parts together, as the zip declares them
MAX_XLSX_PARTS = 1000
MAX_XLSX_RATIO = 100  # unpacked / packed size of a part above 1 MB; spreadsheets pack 5 to 20 times
# XML elements of the shared strings and the sheet together (a cell is 2 or 3: <c><v>, <c><is><t>; a full roster
# written by Excel about 850,000), and those held at once (inside one cell or string, or around the rows: <cols>).
MAX_XLSX_ELEMENTS = 1_200_000
MAX_XLSX_PENDING = 2000
MAX_XLSX_PART_TAGS = 20_000  # tags of each small part read whole: relationships, workbook, styles
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetError(Exception):
    """The file as a whole cannot be read (wrong format, damaged, too big); nothing is imported."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """Header names (normalised) and the data rows; `row_numbers` are the rows as the user sees them (header = 1)."""

    headers: list[str]
    rows: list[dict[str, str]]
    row_numbers: list[int]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decode_csv(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # GB18030 is a superset of GBK and GB2312, which Excel in China uses for "CSV".
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise SpreadsheetError(
            _("The file's text encoding was not recognised; save it as CSV (UTF-8) or CSV (GBK), or as XLSX.")
        )


def _too_many_cells() -> SpreadsheetError:
    return SpreadsheetError(_("The file has more than %(count)d cells; please split it.") % {"count": MAX_CELLS})


def _too_many_columns() -> SpreadsheetError:
    return SpreadsheetError(
        _("The file has more than %(count)d columns; delete the columns the import does not use.")
        % {"count": MAX_COLUMNS}
    )


def _csv_rows(data: bytes) -> Generator[tuple[int, list[str]], None, None]:
    text = _decode_csv(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    for number, raw in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        if len(raw) > MAX_COLUMNS:
            if any(cell.strip() for cell in raw[MAX_COLUMNS:]):
                raise _too_many_columns()
            raw = raw[:MAX_COLUMNS]
        yield number, [_cell_text(cell) for cell in raw]


def _xlsx_damaged() -> SpreadsheetError:
    return SpreadsheetError(
        _("The XLSX file is damaged or incomplete (perhaps the upload was cut off); nothing was imported.")
    )


def _xlsx_unsafe(what: str) -> SpreadsheetError:
    return SpreadsheetError(_("The XLSX file cannot be read safely: %(what)s; nothing was imported.") % {"what": what})


def _xlsx_archive(data: bytes) -> zipfile.ZipFile:
    """The zip, refused as a bomb before anything is unpacked: from the parts' declared sizes (zipfile never
    unpacks more than a part declares), their packing ratio and their number."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise _xlsx_damaged() from error
    parts = archive.infolist()
    if len(parts) > MAX_XLSX_PARTS:
        raise _xlsx_unsafe(_("it holds more than %(count)d parts") % {"count": MAX_XLSX_PARTS})
    if sum(part.file_size for part in parts) > MAX_XLSX_UNPACKED_BYTES:
        raise SpreadsheetError(
            _("The XLSX file unpacks to more than %(size)d MB; please split it.")
            % {"size": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)}
        )
    for part in parts:
        if part.file_size > 1024 * 1024 and part.file_size > MAX_XLSX_RATIO * max(part.compress_size, 1):
            raise _xlsx_unsafe(
                _("a part unpacks to more than %(ratio)d times its packed size") % {"ratio": MAX_XLSX_RATIO}
            )
    return archive


def _xlsx_small_part(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse a part that openpyxl would parse whole (relationships, the workbook, the styles) if it is too big."""
    if archive.read(name).count(b"<") > MAX_XLSX_PART_TAGS:
        raise _xlsx_unsafe(_("its part %(name)s is too complex") % {"name": name})


class _Budget:
    """The XML elements read so far and those held at once; refuses the file at the first limit passed."""

    def __init__(self):
        self.elements = 0
        self.pending = 0

    def count(self) -> None:
        self.elements += 1
        self.pending += 1
        if self.elements > MAX_XLSX_ELEMENTS:
            raise _too_many_cells()
        if self.pending > MAX_XLSX_PENDING:
            raise _xlsx_unsafe(
                _("one cell or row holds more than %(count)d XML elements") % {"count": MAX_XLSX_PENDING}
            )


def _xlsx_shared_strings(archive: zipfile.ZipFile, name: str | None, budget: _Budget) -> list[str]:
    """The shared-string table, as openpyxl reads it (read_string_table), streamed and counted."""
    from defusedxml.ElementTree import iterparse
    from openpyxl.cell.text import Text
    from openpyxl.xml.constants import SHEET_MAIN_NS

    strings: list[str] = []
    if name is None:
        return strings
    string_tag = f"{{{SHEET_MAIN_NS}}}si"
    with archive.open(name) as source:
        for _event, element in iterparse(source):
            budget.count()
            if element.tag == string_tag:
                if len(strings) >= MAX_CELLS:
                    raise _too_many_cells()
                strings.append(Text.from_tree(element).content.replace("x005F_", ""))
                element.clear()
                budget.pending = 0
    return strings


def _xlsx_row_number(element, previous: int) -> int:
    """A <row>'s number as openpyxl reads it: its r attribute ("7" or "7.0"), else the one after the previous."""
    raw = element.get("r")
    if raw is None:
        return previous + 1
    number = float(raw)
    if not number.is_integer() or number < 1:
        raise ValueError(f"{raw} is not a valid row number")
    return int(number)


def _xlsx_sheet_rows(source, parser, budget: _Budget) -> Generator[tuple[int, list[str]], None, None]:
    """The rows of a sheet's XML; `parser` (openpyxl's) decodes each cell: types, shared strings, dates, formulas."""
    from defusedxml.ElementTree import iterparse
    from openpyxl.worksheet._reader import CELL_TAG, DATA_TAG, ROW_TAG

    cells = number = 0
    values: dict[int, object] = {}
    # End events only: a cell is complete at its end, and its row's number is known at the row's end.
    for _event, element in iterparse(source):
        budget.count()
        if element.tag == CELL_TAG:
            cells += 1
            if cells > MAX_CELLS:
                raise _too_many_cells()
            cell = parser.parse_cell(element)
            element.clear()  # what is read is dropped: memory stays flat
            budget.pending = 0
            if cell["value"] is not None and cell["value"] != "":
                if cell["column"] > MAX_COLUMNS:
                    raise _too_many_columns()
                values[cell["column"]] = cell["value"]
        elif element.tag == ROW_TAG:
            number = _xlsx_row_number(element, number)
            element.clear()
            budget.pending = 0
            width = max(values, default=0)
            yield number, [_cell_text(values.get(column)) for column in range(1, width + 1)]
            values = {}
            parser.col_counter = 0
        elif element.tag == DATA_TAG:
            return  # nothing after the cells is needed


def _xlsx_rows(data: bytes, *, cached_formula_values: bool = False) -> Generator[tuple[int, list[str]], None, None]:
    """The rows of the first sheet, reading only what the file holds and counting as it goes.

    Not openpyxl's load_workbook: it parses every sheet up to its dimension (all of a sheet without one), every
    style and defined name, and all shared strings at once; its row iterator pads each row to the declared
    dimension and yields every missing row in between (1.5 KB declaring A1:XFD1048576 costs gigabytes). Here the
    parts are found as openpyxl finds them, the small ones are parsed by openpyxl after a size check, and the shared
    strings and the first sheet are streamed, openpyxl decoding each string and cell. See
    docs/decisions/0024-bounded-file-parsing.md."""
    from openpyxl.packaging.relationship import get_dependents, get_rels_path
    from openpyxl.reader.workbook import WorkbookParser
    from openpyxl.styles.stylesheet import Stylesheet
    from openpyxl.worksheet._reader import WorkSheetParser
    from openpyxl.xml.constants import ARC_ROOT_RELS
    from openpyxl.xml.functions import fromstring

    archive = _xlsx_archive(data)
    budget = _Budget()
    try:
        with archive:
            _xlsx_small_part(archive, ARC_ROOT_RELS)
            documents = [
                rel.target for rel in get_dependents(archive, ARC_ROOT_RELS) if rel.Type.endswith("/officeDocument")
            ]
            if not documents:
                raise _xlsx_damaged()
            _xlsx_small_part(archive, documents[0])
            _xlsx_small_part(archive, get_rels_path(documents[0]))
            workbook = WorkbookParser(archive, documents[0], keep_links=False)  # external links: cached sheets
            workbook.parse()
            # The first worksheet, as openpyxl's worksheets[0]: chart sheets and sheets the zip lacks are skipped.
            names = set(archive.namelist())
            sheets = [
                rel for _sheet, rel in workbook.find_sheets() if "chartsheet" not in rel.Type and rel.target in names
            ]
            if not sheets:
                raise SpreadsheetError(_("The XLSX file has no worksheet."))
            parts = {rel.Type.rsplit("/", 1)[-1]: rel.target for rel in workbook.rels.values()}
            date_formats: set[int] = set()
            timedelta_formats: set[int] = set()
            if parts.get("styles"):
                _xlsx_small_part(archive, parts["styles"])
                styles = Stylesheet.from_tree(fromstring(archive.read(parts["styles"])))
                date_formats, timedelta_formats = styles.date_formats, styles.timedelta_formats
            shared_strings = _xlsx_shared_strings(archive, parts.get("sharedStrings"), budget)
            with archive.open(sheets[0].target) as source:
                parser = WorkSheetParser(
                    source,
                    shared_strings,
                    # False: a formula cell is returned as its text and is never evaluated.
                    data_only=cached_formula_values,
                    epoch=workbook.wb.epoch,
                    date_formats=date_formats,
                    timedelta_formats=timedelta_formats,
                )
                yield from _xlsx_sheet_rows(source, parser, budget)
    except SpreadsheetError:
        raise
    except Exception as error:  # whatever a damaged part makes openpyxl or the XML parser raise
        raise _xlsx_damaged() from error


def is_xlsx(data: bytes, file_name: str = "") -> bool:
    return data[:4] == b"PK\x03\x04" or file_name.lower().endswith(".xlsx")


def table_rows(
    data: bytes, *, file_name: str, cached_formula_values: bool = False
) -> Generator[tuple[int, list[str]], None, None]:
    """The rows of an uploaded CSV or XLSX that hold something, as (row number as the user sees it, cell texts).

    Every limit is checked while reading, and reading stops at the first one passed (SpreadsheetError): 5 MB,
    MAX_ROWS rows below the header, MAX_BLANK_ROWS empty rows, MAX_COLUMNS columns, MAX_CELLS cells and
    MAX_TEXT_CHARACTERS of text; an XLSX is also checked as a zip file first. The first row yielded is the header.
    `cached_formula_values`: an XLSX formula cell gives the value Excel saved, not its text (never evaluated)."""
    if not data:
        raise SpreadsheetError(_("The file is empty."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise SpreadsheetError(_("The file is larger than 5 MB; please split it."))
    if is_xlsx(data, file_name):
        raw_rows = _xlsx_rows(data, cached_formula_values=cached_formula_values)
    else:
        raw_rows = _csv_rows(data)
    rows = blank = characters = 0
    try:
        for number, cells in raw_rows:
            if not any(cells):
                blank += 1
                if blank > MAX_BLANK_ROWS:
                    raise SpreadsheetError(
                        _("The file has more than %(count)d empty rows; delete them and upload it again.")
                        % {"count": MAX_BLANK_ROWS}
                    )
                continue
            rows += 1
            if rows > MAX_ROWS + 1:  # the header, then MAX_ROWS rows
                raise SpreadsheetError(
                    _("The file has more than %(count)d rows; please split it.") % {"count": MAX_ROWS}
                )
            characters += sum(map(len, cells))
            if characters > MAX_TEXT_CHARACTERS:
                raise SpreadsheetError(
                    _("The file holds more than %(count)d characters of text; please split it.")
                    % {"count": MAX_TEXT_CHARACTERS}
                )
            yield number, cells
    except csv.Error as error:
        raise SpreadsheetError(_("The CSV file could not be read: %(error)s") % {"error": error})
    finally:
        raw_rows.close()


def read_table(data: bytes, *, file_name: str, aliases: dict[str, str], required: Iterable[str]) -> Table:
    """Parse an uploaded table; header cells are mapped through `aliases` (any language) to canonical names.

    Within the limits of table_rows; a cell of a mapped column holding a control character (a NUL cannot be stored)
    refuses the file, naming the row and the column as written."""
    raw_rows = table_rows(data, file_name=file_name)
    try:
        return _table(raw_rows, aliases=aliases, required=required)
    finally:
        raw_rows.close()


def _table(raw_rows: Iterator[tuple[int, list[str]]], *, aliases: dict[str, str], required: Iterable[str]) -> Table:
    try:
        _header_number, header_row = next(raw_rows)
    except StopIteration:
        raise SpreadsheetError(_("The file is empty."))
    lookup = {key.strip().lower(): value for key, value in aliases.items()}
    headers = [lookup.get(cell.lower(), "") for cell in header_row]
    missing = [name for name in required if name not in headers]
    if missing:
        raise SpreadsheetError(
            _("The first row must name the columns; missing: %(columns)s. Download the template to see them.")
            % {"columns": ", ".join(missing)}
        )
    columns = [(index, name, header_row[index]) for index, name in enumerate(headers) if name]
    rows: list[dict[str, str]] = []
    numbers: list[int] = []
    refused: list[str] = []
    for number, cells in raw_rows:
        row = {name: "" for name in headers if name}
        for index, name, written in columns:
            cell = cells[index] if index < len(cells) else ""
            problem = control_character_problem(cell)
            if problem:
                refused.append(
                    _("row %(row)d, column %(column)s: %(problem)s")
                    % {"row": number, "column": written, "problem": problem}
                )
            row[name] = cell
        if len(refused) >= 10:
            break
        rows.append(row)
        numbers.append(number)
    if refused:
        raise SpreadsheetError(
            _("Nothing was imported: %(problems)s. Remove these characters and upload the file again.")
            % {"problems": "; ".join(refused[:10])}
        )
    return Table(headers=[name for name in headers if name], rows=rows, row_numbers=numbers)


def neutralise(value: object) -> object:
    """Make a cell safe to open in a spreadsheet: text that looks like a formula gets a leading apostrophe.

    Only text is touched (a lazy translation counts as text): numbers stay numbers, so a negative number passed as a
    number is written as one."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_stream(header: list[str], rows: Iterable[list[object]], *, bom: bool = True) -> Iterator[str]:
    """CSV text for a StreamingHttpResponse in chunks of about 64 KB, every cell neutralised against formulas.

    The one CSV writer of the project. With `bom` (the default, for people) the text starts with a UTF-8 byte order
    mark so that Excel opens Chinese text correctly; machine exports pass `bom=False`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if bom:
        buffer.write("\ufeff")
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


@dataclass
class Sheet:
    """One worksheet of an XLSX: a bold header row (none when empty), then the rows."""

    title: str
    header: list[str]
    rows: Iterable[list[object]]
    freeze_header: bool = False


def xlsx_write(target, *, title: str, header: list[str], rows: Iterable[list[object]]) -> None:
    """Write a one-sheet XLSX with openpyxl's write-only mode (constant memory) into a binary file object."""
    xlsx_write_sheets(target, sheets=[Sheet(title=title, header=header, rows=rows)])


def xlsx_write_sheets(target, *, sheets: Iterable[Sheet]) -> None:
    """Write an XLSX of several sheets (write-only mode), every cell neutralised against formulas.

    With csv_stream, the one writer of the project's spreadsheets."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet_data in sheets:
        sheet = workbook.create_sheet(title=sheet_data.title[:31])
        if sheet_data.freeze_header and sheet_data.header:
            sheet.freeze_panes = "A2"  # before any row: write-only sheets write rows as they come
        if sheet_data.header:
            header_cells = []
            for name in sheet_data.header:
                cell = _safe_xlsx_cell(sheet, name)
                cell.font = bold
                header_cells.append(cell)
            sheet.append(header_cells)
        for row in sheet_data.rows:
            sheet.append([_safe_xlsx_cell(sheet, value) for value in row])
    workbook.save(target)


def _safe_xlsx_cell(sheet, value: object):
    from openpyxl.cell import WriteOnlyCell

    value = neutralise(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # Text type even for a leading "=": openpyxl would otherwise store it as a formula.
        cell.data_type = "s"
    return cell
