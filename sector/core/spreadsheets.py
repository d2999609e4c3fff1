"""Reading the spreadsheets people import (CSV or XLSX), written once for every import in the portal.

The format is decided by the bytes, not the name (a workbook starts with the ZIP signature); a file named .xlsx
that is not a workbook is refused as one. CSV must be UTF-8 (a byte-order mark is fine). Blank lines are left out
and every row keeps the line number people see in their program, so per-row messages can point at it.
Everything wrong with the file as a whole is an ImportFileError whose message says what to do; what is wrong with
a row is the importing app's business.
"""

from __future__ import annotations

import csv
import io

import tablib

from sector.core.errors import DomainError

from .uploads import size_text

XLSX_SIGNATURE = b"PK\x03\x04"


class ImportFileError(DomainError, ValueError):
    """The file as a whole cannot be read (size, format, encoding, columns); nothing is imported."""


def check_size(size: int, max_bytes: int) -> None:
    """Call before reading an upload, so a huge one is refused without being read into memory."""
    if size > max_bytes:
        raise ImportFileError(f"The file is larger than {size_text(max_bytes)}; split it into smaller files.")


def _xlsx_rows(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        return [["" if c is None else str(c) for c in row] for row in book.active.iter_rows(values_only=True)]
    except Exception:  # noqa: BLE001 - any parser failure means the workbook is unreadable
        raise ImportFileError("This file is not a readable Excel workbook (.xlsx). Save it again and retry.") from None


def _csv_rows(data: bytes) -> list[list]:
    if b"\x00" in data[:4096]:
        raise ImportFileError("This file is neither CSV text nor an Excel workbook (.xlsx).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"The file is not UTF-8 text (byte {exc.start}); save it as “CSV UTF-8”.") from None
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ImportFileError(f"The file is not readable CSV ({exc}); save it as “CSV UTF-8”.") from None


def read_rows(data: bytes, *, max_bytes: int, name: str = "", max_rows: int | None = None) -> list[tuple[int, list]]:
    """(line number, cells) of every non-blank row of a CSV or XLSX file; every cell is text, an empty one ""."""
    check_size(len(data), max_bytes)
    if not data:
        raise ImportFileError("The file is empty.")
    if data.startswith(XLSX_SIGNATURE) or name.lower().endswith(".xlsx"):
        if not data.startswith(XLSX_SIGNATURE):
            raise ImportFileError("This file is not a readable Excel workbook (.xlsx). Save it again and retry.")
        rows = _xlsx_rows(data)
    else:
        rows = _csv_rows(data)
    numbered = [(line, row) for line, row in enumerate(rows, start=1) if any(c.strip() for c in row)]
    if not numbered:
        raise ImportFileError("The file has only blank lines; there is nothing to import.")
    if max_rows is not None and len(numbered) > max_rows:
        raise ImportFileError(f"The file has {len(numbered)} rows; the limit is {max_rows}.")
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
    (_, header), *body = read_rows(data, max_bytes=max_bytes, name=name)
    headers = [column_name(h) for h in header]
    named = [h for h in headers if h]
    if len(set(named)) != len(named):
        twice = sorted({h for h in named if named.count(h) > 1})
        raise ImportFileError(f"The first line names the column(s) {', '.join(twice)} twice; name each once.")
    if max_rows is not None and len(body) > max_rows:
        raise ImportFileError(f"The file has {len(body)} rows; the limit is {max_rows}.")
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
