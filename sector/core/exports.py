"""Spreadsheet exports that cannot run formulas (CSV/Excel injection).

django-import-export's own setting only strips a leading "=", so every export in the portal (the admin's through
CSV/XLSX below, the apps' through export_bytes/export_response) goes through escape_cell: a cell starting with
= + - @ | or a tab/carriage return is prefixed with an apostrophe (OWASP's advice; "|" starts DDE payloads in some
spreadsheet programs), which spreadsheet programs show as text.
"""

from __future__ import annotations

import tablib
from django.http import HttpResponse
from import_export.formats import base_formats

FORMULA_STARTS = ("=", "+", "-", "@", "|", "\t", "\r")


def escape_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def escaped(dataset: tablib.Dataset) -> tablib.Dataset:
    safe = tablib.Dataset(headers=[escape_cell(h) for h in (dataset.headers or [])] or None)
    for row in dataset:
        safe.append([escape_cell(cell) for cell in row])
    return safe


class SafeExportMixin:
    def export_data(self, dataset, **kwargs):
        return escaped(dataset).export(self.get_title(), **kwargs)


class CSV(SafeExportMixin, base_formats.CSV):
    pass


class XLSX(SafeExportMixin, base_formats.XLSX):
    pass


def export_bytes(dataset: tablib.Dataset, fmt: str) -> tuple[bytes, str]:
    """The dataset as `csv` or `xlsx` bytes (escaped) with its content type."""
    if fmt == "xlsx":
        return XLSX().export_data(dataset), XLSX.CONTENT_TYPE
    data = CSV().export_data(dataset)
    return data.encode("utf-8-sig") if isinstance(data, str) else data, "text/csv; charset=utf-8"


def export_response(dataset: tablib.Dataset, fmt: str, filename: str) -> HttpResponse:
    """A download of the dataset as `filename`.csv or `filename`.xlsx (fmt), every cell escaped."""
    fmt = "xlsx" if fmt == "xlsx" else "csv"
    body, content_type = export_bytes(dataset, fmt)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
