"""Reference-data imports: one rule set (resources.py) for the admin and the shell."""

from __future__ import annotations

from dataclasses import dataclass, field

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from import_export import resources

from sector.core.audit import log_action
from sector.core.spreadsheets import ImportFileError, line_of, read_table

from .resources import AgencyResource, CourtResource


@dataclass(frozen=True)
class ImportSpec:
    """One kind of reference file: its import-export resource and its columns (the first required is the key)."""

    resource: type[resources.ModelResource]
    required: tuple[str, ...]
    optional: tuple[str, ...]


IMPORTS = {
    "agencies": ImportSpec(
        resource=AgencyResource, required=("ori", "name", "county", "kind"), optional=("active", "records_system")
    ),
    "courts": ImportSpec(
        resource=CourtResource, required=("code", "name", "county", "kind"), optional=("accepts_etickets",)
    ),
}
MAX_IMPORT_BYTES = 5 * 1024 * 1024


@dataclass
class ImportReport:
    kind: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _read_csv(data: bytes, required: tuple[str, ...], optional: tuple[str, ...]) -> tablib.Dataset:
    dataset = read_table(data, max_bytes=MAX_IMPORT_BYTES, pad_short_rows=False)
    header = dataset.headers
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportFileError(f"line 1: missing column(s) {', '.join(missing)} (expected {', '.join(required)})")
    unknown = [h for h in header if h not in required + optional]
    if unknown:
        raise ImportFileError(f"line 1: unknown column(s) {', '.join(unknown)}")
    return dataset


def reference_import(*, kind: str, data: bytes, source: str = "") -> ImportReport:
    """Import agencies or courts from CSV bytes: all rows or none. Re-importing the same file changes nothing."""
    if kind not in IMPORTS:
        raise ImportFileError(f"unknown reference kind {kind!r}; use one of: {', '.join(IMPORTS)}")
    spec = IMPORTS[kind]
    dataset = _read_csv(data, spec.required, spec.optional)
    report = ImportReport(kind=kind)
    resource = spec.resource()
    seen: dict[str, int] = {}
    key = spec.required[0]
    for index, row in enumerate(dataset.dict):
        line = line_of(dataset, index)
        for column in spec.required:
            if not (row.get(column) or "").strip():
                report.errors.append(f"line {line}: column {column}: a value is required")
        value = (row.get(key) or "").strip().upper()
        if value and value in seen:
            report.errors.append(f"line {line}: column {key}: {value} also appears on line {seen[value]}")
        elif value:
            seen[value] = line
    with transaction.atomic():
        result = resource.import_data(dataset, dry_run=True, raise_errors=False, collect_failed_rows=True)
        for row_error_index, row_errors in result.row_errors():
            line = line_of(dataset, row_error_index - 1)
            for err in row_errors:
                report.errors.append(f"line {line}: {_plain_error(err.error)}")
        for invalid in result.invalid_rows:
            line = line_of(dataset, invalid.number - 1)
            for column, messages in invalid.field_specific_errors.items():
                for message in messages:
                    report.errors.append(f"line {line}: column {column}: {message}")
            for message in invalid.non_field_specific_errors:
                report.errors.append(f"line {line}: {message}")
        report.errors = _dedupe(report.errors)
        if report.errors:
            return report
        result = resource.import_data(dataset, dry_run=False, raise_errors=True)
        totals = result.totals
        report.new, report.updated, report.unchanged = totals["new"], totals["update"], totals["skip"]
        if report.new or report.updated:
            log_action(
                f"orgs.{kind}.imported",
                data={"source": source, "new": report.new, "updated": report.updated, "unchanged": report.unchanged},
            )
    return report


def _plain_error(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return str(error)


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)

    def line_of(msg: str) -> int:
        try:
            return int(msg.split(":", 1)[0].removeprefix("line "))
        except ValueError:
            return 0

    return sorted(out, key=line_of)
