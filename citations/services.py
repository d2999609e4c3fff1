"""Agency-side writes: number-block import."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.db import transaction

from sector.core.audit import log_action
from sector.core.errors import DomainError
from sector.core.permissions import can
from sector.core.spreadsheets import ImportFileError, read_rows

from .choices import BLOCK_FILE_MAX_BYTES, BLOCK_FILE_MAX_ROWS
from .models import NumberBlock

if TYPE_CHECKING:
    from sector.accounts.models import User
    from sector.orgs.models import Agency

BLOCK_RE = re.compile(r"^([A-Z0-9-]*?)(\d+)$")


def _split(label: str) -> tuple[str, int, int]:
    m = BLOCK_RE.match(label.strip().upper())
    if not m:
        raise ImportFileError(f"{label!r} is not a ticket number ending in digits.")
    return m.group(1), int(m.group(2)), len(m.group(2))


BlockRow = tuple[str, int, int, int, str]  # prefix, first, last, width, note


def parse_blocks(data: bytes, filename: str) -> list[BlockRow]:
    """Rows of (first, last[, note]) from CSV or XLSX; a header row is skipped."""
    rows = read_rows(data, max_bytes=BLOCK_FILE_MAX_BYTES, name=filename, max_rows=BLOCK_FILE_MAX_ROWS)
    out: list[BlockRow] = []
    for i, row in rows:
        if i == 1 and row[0].strip().lower() in ("first", "from", "start"):
            continue
        if len(row) < 2:
            raise ImportFileError(f"Row {i}: give the first and last number of the block.")
        p1, first, w1 = _split(row[0])
        p2, last, w2 = _split(row[1])
        if p1 != p2 or w1 != w2:
            raise ImportFileError(f"Row {i}: first and last must share a prefix and length.")
        if last < first:
            raise ImportFileError(f"Row {i}: the last number is before the first.")
        if len(p1) + w1 > 20:
            raise ImportFileError(f"Row {i}: ticket numbers are at most 20 characters.")
        out.append((p1, first, last, w1, (row[2] if len(row) > 2 else "")[:200]))
    if not out:
        raise ImportFileError("The file has no blocks.")
    return out


class NumberBlockError(DomainError):
    """The actor may not record number blocks for that agency."""


def number_blocks_import(*, agency: Agency, rows: list[BlockRow], actor: User) -> int:
    if not can(actor, "add", NumberBlock(agency=agency)):
        raise NumberBlockError(f"Your role does not record number blocks for {agency.name}.")
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
