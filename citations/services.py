"""Agency-side writes: number-block import."""

from __future__ import annotations

import csv
import io
import re

from django.db import transaction

from sector.core.audit import log_action
from sector.core.errors import DomainError

from .models import NumberBlock

BLOCK_RE = re.compile(r"^([A-Z0-9-]*?)(\d+)$")


class BlockImportError(DomainError):
    pass


def _split(label: str) -> tuple[str, int, int]:
    m = BLOCK_RE.match(label.strip().upper())
    if not m:
        raise BlockImportError(f"{label!r} is not a ticket number ending in digits.")
    return m.group(1), int(m.group(2)), len(m.group(2))


def parse_blocks(data: bytes, filename: str) -> list[tuple[str, int, int, int, str]]:
    """Rows of (first, last[, note]) from CSV or XLSX; a header row is skipped."""
    rows: list[list[str]] = []
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the user's file problem
            raise BlockImportError("The file is not a readable .xlsx workbook.") from exc
        for r in wb.active.iter_rows(values_only=True, max_row=5000):
            rows.append(["" if c is None else str(c) for c in r[:3]])
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BlockImportError("The CSV file is not UTF-8 text.") from exc
        rows = [r[:3] for r in csv.reader(io.StringIO(text))][:5000]
    out = []
    for i, row in enumerate(rows, start=1):
        if not row or not any(c.strip() for c in row):
            continue
        if i == 1 and row[0].strip().lower() in ("first", "from", "start"):
            continue
        if len(row) < 2:
            raise BlockImportError(f"Row {i}: give the first and last number of the block.")
        p1, first, w1 = _split(row[0])
        p2, last, w2 = _split(row[1])
        if p1 != p2 or w1 != w2:
            raise BlockImportError(f"Row {i}: first and last must share a prefix and length.")
        if last < first:
            raise BlockImportError(f"Row {i}: the last number is before the first.")
        if len(p1) + w1 > 20:
            raise BlockImportError(f"Row {i}: ticket numbers are at most 20 characters.")
        out.append((p1, first, last, w1, (row[2] if len(row) > 2 else "")[:200]))
    if not out:
        raise BlockImportError("The file has no blocks.")
    return out


def number_blocks_import(*, agency, rows, actor) -> int:
    with transaction.atomic():
        created = 0
        for prefix, first, last, width, note in rows:
            _, was_created = NumberBlock.objects.get_or_create(
                agency=agency, prefix=prefix, first=first, defaults={"last": last, "width": width, "note": note}
            )
            created += was_created
        log_action(
            "citations.number_blocks.imported", obj=agency, actor=actor, data={"rows": len(rows), "created": created}
        )
    return created
