"""Reading the spreadsheets people import (CSV or XLSX), written once for every import in the portal.

The format is decided by the bytes, not the name (a workbook starts with the ZIP signature); a file named .xlsx
that is not a workbook is refused as one. CSV must be UTF-8 (a byte-order mark is fine). Blank lines are left out
and every row keeps the line number people see in their program, so per-row messages can point at it.
Everything wrong with the file as a whole is an ImportFileError whose message says what to do; what is wrong with
a row is the importing app's business.

Hostile files (issue 13): a workbook is a ZIP, and 60 KB can unpack to 200,000 rows. Before any XML is parsed the
ZIP's directory is checked (members, total unpacked size) and each worksheet's declared dimension (rows, columns);
the parse then stops at the row limit whatever the dimension said, and reads at most MAX_COLUMNS columns. CSV is
read lazily and stops at the limit too. The XML parsers are defused: openpyxl uses defusedxml when it is
installed (a dependency), so entity expansion ("billion laughs") and external entities are refused.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator

import tablib
from import_export.formats import base_formats

from sector.core.errors import DomainError

from .uploads import size_text

XLSX_SIGNATURE = b"PK\x03\x04"
DEFAULT_MAX_ROWS = 50_000  # when the caller names no limit
MAX_COLUMNS = 200
MAX_ZIP_MEMBERS = 500
BLANK_LINE_ALLOWANCE = 1_000  # blank lines read past the row limit before the file is refused anyway
_DIMENSION_RE = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{0,3})(\d*)(?::([A-Z]{1,3})(\d+))?\"")


class ImportFileError(DomainError, ValueError):
    """The file as a whole cannot be read (size, format, encoding, columns); nothing is imported."""


def check_size(size: int, max_bytes: int) -> None:
    """Call before reading an upload, so a huge one is refused without being read into memory."""
    if size > max_bytes:
        raise ImportFileError(f"The file is larger than {size_text(max_bytes)}; split it into smaller files.")


def max_unpacked_bytes(max_bytes: int) -> int:
    """How large a workbook may unpack to: ten times the file limit, at least 4 MB (styles alone can be large)."""
    return max(10 * max_bytes, 4 * 1024 * 1024)


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def check_workbook(data: bytes, *, max_rows: int, max_unpacked: int, header_lines: int = 0) -> None:
    """Refuse a workbook that would unpack or parse too large, reading only the ZIP directory and the first
    bytes of each worksheet (its <dimension>); no XML is parsed here."""
    unreadable = "This file is not a readable Excel workbook (.xlsx). Save it again and retry."
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise ImportFileError(f"The workbook holds {len(members):,} parts; save it again as a plain .xlsx.")
            unpacked = sum(m.file_size for m in members)
            if unpacked > max_unpacked:
                raise ImportFileError(
                    f"The workbook unpacks to {size_text(unpacked)}; the limit is {size_text(max_unpacked)}. "
                    "Split it into smaller files, or save it as CSV."
                )
            for member in members:
                if not (member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")):
                    continue
                with archive.open(member) as sheet:
                    head = sheet.read(4096)
                found = _DIMENSION_RE.search(head)
                if not found:
                    continue  # no dimension: the row cap while reading still holds
                last_col = (found.group(3) or found.group(1)).decode()
                last_row = (found.group(4) or found.group(2)).decode()
                if last_row and int(last_row) > max_rows + header_lines + BLANK_LINE_ALLOWANCE:
                    raise ImportFileError(
                        f"The workbook has {int(last_row):,} rows; the limit is {max_rows:,}. "
                        "Split it into smaller files."
                    )
                if last_col and _column_number(last_col) > MAX_COLUMNS:
                    raise ImportFileError(
                        f"The workbook has {_column_number(last_col):,} columns; the limit is {MAX_COLUMNS}."
                    )
    except ImportFileError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise ImportFileError(unreadable) from None


def _capped(rows: Iterator[list], max_rows: int, header_lines: int = 0) -> list[list]:
    """The rows, refusing the file as soon as it has more than `max_rows` non-blank ones (or more blank lines
    than anyone leaves), so a huge file costs no more than the limit to find out."""
    out: list[list] = []
    filled = 0
    for row in rows:
        out.append(row)
        if any(c is not None and str(c).strip() for c in row):
            filled += 1
        if filled > max_rows + header_lines or len(out) > max_rows + header_lines + BLANK_LINE_ALLOWANCE:
            raise ImportFileError(f"The file has more than {max_rows:,} rows; the limit is {max_rows:,}.")
    return out


def _sheet_rows(book) -> Iterator[tuple]:
    """The active sheet's rows, at most MAX_COLUMNS wide. The declared dimension is ignored (reset): openpyxl
    would silently stop at a dimension that understates the rows, importing part of the file."""
    sheet = book.active
    sheet.reset_dimensions()
    for row in sheet.iter_rows(values_only=True):
        yield row[:MAX_COLUMNS]


def _xlsx_rows(data: bytes, max_rows: int, header_lines: int) -> list[list]:
    from openpyxl import load_workbook

    try:
        cells = _sheet_rows(load_workbook(io.BytesIO(data), read_only=True, data_only=True))
        return _capped((["" if c is None else str(c) for c in row] for row in cells), max_rows, header_lines)
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 - any parser failure (defusedxml's refusals too) means it is unreadable
        raise ImportFileError("This file is not a readable Excel workbook (.xlsx). Save it again and retry.") from None


def _csv_rows(data: bytes, max_rows: int, header_lines: int) -> list[list]:
    if b"\x00" in data[:4096]:
        raise ImportFileError("This file is neither CSV text nor an Excel workbook (.xlsx).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"The file is not UTF-8 text (byte {exc.start}); save it as “CSV UTF-8”.") from None
    try:
        rows = _capped(csv.reader(io.StringIO(text, newline="")), max_rows, header_lines)
    except csv.Error as exc:
        raise ImportFileError(f"The file is not readable CSV ({exc}); save it as “CSV UTF-8”.") from None
    if any(len(row) > MAX_COLUMNS for row in rows):
        raise ImportFileError(f"The file has a line of more than {MAX_COLUMNS} values; the limit is {MAX_COLUMNS}.")
    return rows


def read_rows(
    data: bytes, *, max_bytes: int, name: str = "", max_rows: int | None = None, header_lines: int = 0
) -> list[tuple[int, list]]:
    """(line number, cells) of every non-blank row of a CSV or XLSX file; every cell is text, an empty one "".
    At most `max_rows` non-blank rows besides the first `header_lines` (DEFAULT_MAX_ROWS when None)."""
    check_size(len(data), max_bytes)
    if not data:
        raise ImportFileError("The file is empty.")
    limit = DEFAULT_MAX_ROWS if max_rows is None else max_rows
    if data.startswith(XLSX_SIGNATURE) or name.lower().endswith(".xlsx"):
        if not data.startswith(XLSX_SIGNATURE):
            raise ImportFileError("This file is not a readable Excel workbook (.xlsx). Save it again and retry.")
        check_workbook(data, max_rows=limit, header_lines=header_lines, max_unpacked=max_unpacked_bytes(max_bytes))
        rows = _xlsx_rows(data, limit, header_lines)
    else:
        rows = _csv_rows(data, limit, header_lines)
    numbered = [(line, row) for line, row in enumerate(rows, start=1) if any(c.strip() for c in row)]
    if not numbered:
        raise ImportFileError("The file has only blank lines; there is nothing to import.")
    return numbered


def column_name(header) -> str:
    """'Personnel number ' and 'personnel_number' are the same column."""
    return str(header or "").strip().lower().replace(" ", "_")


def read_table(
    data: bytes, *, max_bytes: int, name: str = "", max_rows: int | None = None, pad_short_rows: bool = True
) -> tablib.Dataset:
    """A CSV or XLSX file whose first line names the columns, as a dataset with normalized column names
    (column_name) and each row tagged with its line number (line_of). Short rows are padded with "" unless
    `pad_short_rows` is False; a row with more values than there are columns is refused."""
    (_, header), *body = read_rows(data, max_bytes=max_bytes, name=name, max_rows=max_rows, header_lines=1)
    headers = [column_name(h) for h in header]
    named = [h for h in headers if h]
    if len(set(named)) != len(named):
        twice = sorted({h for h in named if named.count(h) > 1})
        raise ImportFileError(f"The first line names the column(s) {', '.join(twice)} twice; name each once.")
    if max_rows is not None and len(body) > max_rows:  # pragma: no cover - read_rows stopped it already
        raise ImportFileError(f"The file has more than {max_rows:,} rows; the limit is {max_rows:,}.")
    width = len(headers)
    dataset = tablib.Dataset(headers=headers)
    for line, row in body:
        while len(row) > width and not row[-1].strip():
            row = row[:-1]
        if len(row) > width or (len(row) < width and not pad_short_rows):
            raise ImportFileError(f"Check line {line}: {len(row)} values for {width} columns.")
        dataset.append([*row, *[""] * (width - len(row))], tags=[str(line)])
    return dataset


def line_of(dataset: tablib.Dataset, index: int) -> int:
    """The file's line number of the dataset's row `index` (as read_table tagged it)."""
    tags = dataset._data[index].tags
    return int(tags[0]) if tags else index + 2


# --------------------------------------------------------------------- the admin's import (django-import-export)

ADMIN_IMPORT_MAX_BYTES = 5 * 1024 * 1024
ADMIN_IMPORT_MAX_ROWS = DEFAULT_MAX_ROWS


class ImportCSV(base_formats.CSV):
    """The admin's CSV import, refused past the row limit before tablib reads it."""

    def create_dataset(self, in_stream, **kwargs):
        text = in_stream.decode(self.encoding or "utf-8") if isinstance(in_stream, bytes) else in_stream
        _capped(csv.reader(io.StringIO(text, newline="")), ADMIN_IMPORT_MAX_ROWS, 1)
        return super().create_dataset(in_stream, **kwargs)


class ImportXLSX(base_formats.XLSX):
    """The admin's XLSX import: the workbook checks first, then at most the row limit is read."""

    def create_dataset(self, in_stream):
        from openpyxl import load_workbook

        check_size(len(in_stream), ADMIN_IMPORT_MAX_BYTES)
        check_workbook(
            in_stream,
            max_rows=ADMIN_IMPORT_MAX_ROWS,
            header_lines=1,
            max_unpacked=max_unpacked_bytes(ADMIN_IMPORT_MAX_BYTES),
        )
        rows = _sheet_rows(load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True))
        header, *body = _capped((list(r) for r in rows), ADMIN_IMPORT_MAX_ROWS, 1) or [[]]
        while header and header[-1] is None:
            header.pop()
        width = len(header)
        dataset = tablib.Dataset(headers=header)
        for row in body:
            dataset.append([*row[:width], *[None] * (width - len(row))])
        return dataset
