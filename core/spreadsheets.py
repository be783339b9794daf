"""Reading uploaded tables (CSV in UTF-8, UTF-8 with BOM, GBK/GB18030; XLSX) and writing safe exports.

Cells are read as text and never evaluated: an XLSX formula arrives as its source text ("=..."), and every exported
cell that a spreadsheet would take for a formula is neutralised with a leading apostrophe (OWASP CSV injection).
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20000
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


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    text = _decode_csv(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    yield from csv.reader(io.StringIO(text), dialect)


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    damaged = _("The XLSX file is damaged or incomplete (perhaps the upload was cut off); nothing was imported.")
    try:
        # data_only=False: a formula cell is returned as its text and is never evaluated.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, EOFError, OSError, ValueError) as error:
        raise SpreadsheetError(damaged) from error
    try:
        sheet = workbook.worksheets[0]
        rows = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    except (zipfile.BadZipFile, KeyError, EOFError, OSError, ValueError, TypeError) as error:
        raise SpreadsheetError(damaged) from error
    finally:
        workbook.close()
    yield from rows


def is_xlsx(data: bytes, file_name: str = "") -> bool:
    return data[:4] == b"PK\x03\x04" or file_name.lower().endswith(".xlsx")


def read_table(data: bytes, *, file_name: str, aliases: dict[str, str], required: Iterable[str]) -> Table:
    """Parse an uploaded table; header cells are mapped through `aliases` (any language) to canonical names."""
    if not data:
        raise SpreadsheetError(_("The file is empty."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise SpreadsheetError(_("The file is larger than 5 MB; please split it."))
    raw_rows = _xlsx_rows(data) if is_xlsx(data, file_name) else _csv_rows(data)
    try:
        header_row = next(raw_rows)
    except StopIteration:
        raise SpreadsheetError(_("The file is empty."))
    except csv.Error as error:
        raise SpreadsheetError(_("The CSV file could not be read: %(error)s") % {"error": error})
    lookup = {key.strip().lower(): value for key, value in aliases.items()}
    headers = [lookup.get(_cell_text(cell).lower(), "") for cell in header_row]
    missing = [name for name in required if name not in headers]
    if missing:
        raise SpreadsheetError(
            _("The first row must name the columns; missing: %(columns)s. Download the template to see them.")
            % {"columns": ", ".join(missing)}
        )
    rows: list[dict[str, str]] = []
    numbers: list[int] = []
    try:
        for number, raw in enumerate(raw_rows, start=2):
            cells = [_cell_text(cell) for cell in raw]
            if not any(cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise SpreadsheetError(
                    _("The file has more than %(count)d rows; please split it.") % {"count": MAX_ROWS}
                )
            row = {name: "" for name in headers if name}
            for name, cell in zip(headers, cells, strict=False):
                if name:
                    row[name] = cell
            rows.append(row)
            numbers.append(number)
    except csv.Error as error:
        raise SpreadsheetError(_("The CSV file could not be read: %(error)s") % {"error": error})
    return Table(headers=[name for name in headers if name], rows=rows, row_numbers=numbers)


def neutralise(value: object) -> object:
    """Make a cell safe to open in a spreadsheet: text that looks like a formula gets a leading apostrophe."""
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


def xlsx_write(target, *, title: str, header: list[str], rows: Iterable[list[object]]) -> None:
    """Write an XLSX with openpyxl's write-only mode (constant memory) into a binary file object."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header_cells = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=neutralise(name))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_safe_xlsx_cell(sheet, value) for value in row])
    workbook.save(target)


def _safe_xlsx_cell(sheet, value: object):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=neutralise(value))
        # Text type even for a leading "=": openpyxl would otherwise store it as a formula.
        cell.data_type = "s"
        return cell
    return value
