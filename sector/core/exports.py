"""Spreadsheet exports that cannot run formulas (CSV/Excel injection).

django-import-export's own setting only strips a leading "=", so every export in the portal (the admin's through
CSV/XLSX below, the apps' through export_bytes/export_response) goes through escape_cell: a cell starting with
= + - @ | or a tab/carriage return is prefixed with an apostrophe (OWASP's advice; "|" starts DDE payloads in some
spreadsheet programs), which spreadsheet programs show as text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import tablib
from django.http import HttpResponse
from import_export.formats import base_formats

if TYPE_CHECKING:
    from django.db import models

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


# Query parameters that page or pick the format, not filters.
NOT_FILTERS = ("format", "cursor", "page", "csrfmiddlewaretoken")


def export_filters(params: Mapping[str, Any]) -> dict[str, Any]:
    """The filters of an export's query string (a QueryDict or a dict), for the audit entry."""
    out: dict[str, Any] = {}
    getlist = getattr(params, "getlist", None)
    for key in params:
        if key in NOT_FILTERS:
            continue
        values = getlist(key) if getlist else [params[key]]
        values = [str(v)[:200] for v in values if v not in ("", None)]
        if values:
            out[str(key)[:60]] = values[0] if len(values) == 1 else values
    return out


def log_export(
    *,
    actor: Any,
    what: str,
    fmt: str,
    rows: int,
    filters: Mapping[str, Any] | None = None,
    obj: models.Model | None = None,
) -> None:
    """Every bulk export of personal data is logged: who (`actor`), what (`what`, e.g. "courts.tickets", logged as
    "courts.tickets.exported"), the filters, the format and the row count."""
    from .audit import log_action  # the settings import this module before the apps are ready

    log_action(
        f"{what}.exported",
        obj=obj,
        actor=actor,
        data={"format": fmt, "rows": rows, "filters": dict(filters or {})},
    )


class AuditedExportMixin:
    """For django-import-export admins: each export is logged with log_export (`<app>.<model>.exported`)."""

    def get_data_for_export(self, request, queryset, **kwargs):
        data = super().get_data_for_export(request, queryset, **kwargs)
        opts = self.model._meta
        form = kwargs.get("export_form")
        fmt = ""
        if form is not None and getattr(form, "cleaned_data", None):
            formats = self.get_export_formats()
            try:
                fmt = formats[int(form.cleaned_data.get("format"))]().get_title()
            except (TypeError, ValueError, IndexError):
                fmt = ""
        log_export(
            actor=request.user,
            what=f"{opts.app_label}.{opts.model_name}",
            fmt=fmt,
            rows=len(data),
            filters=export_filters(request.GET),
        )
        return data
