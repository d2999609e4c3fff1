"""The one place where the database vendor matters for ingest: bulk inserts and row locks.

Rows are plain dicts of column values (attnames), so the hot path builds no model instances.
PostgreSQL: ids come from the table's sequence in one query (`nextval` over `generate_series`) and the
rows go in by COPY (psycopg 3 `cursor.copy()`), the fastest path PERFORMANCE.md measured. SQLite (`make
run`): `bulk_create` in chunks under its variable limit, ids read back. Both paths run in the tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import orjson
from django.db import connection, models
from django.utils import timezone


class RawJSON(str):
    """A value for a JSONField that is already JSON text (e.g. the canonical bytes of a feed record)."""


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _defaults(fields: list[models.Field]) -> dict[str, Any]:
    now = timezone.now()
    out = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            out[f.attname] = now
        elif f.has_default():
            out[f.attname] = f.get_default()
        elif f.null:
            out[f.attname] = None
        elif isinstance(f, (models.CharField, models.TextField)):
            out[f.attname] = ""
    return out


def insert_rows(model: type[models.Model], rows: Sequence[dict], *, returning_ids: bool = False) -> list[int] | None:
    """Insert `rows` (column attname -> value; missing columns take the field default). With
    `returning_ids`, each row gets its new "id" and the ids are returned in order. A fixed number of
    queries whatever the number of rows (PostgreSQL: 1 or 2; SQLite: one per 200 rows)."""
    if not rows:
        return [] if returning_ids else None
    fields = _fields(model)
    defaults = _defaults(fields)
    if is_postgres():
        return _copy(model, fields, defaults, rows, returning_ids)
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
    objs = []
    for row in rows:
        values = {**defaults, **row}
        for name in json_fields:
            value = values.get(name)
            if isinstance(value, RawJSON):
                values[name] = orjson.loads(str(value))  # orjson reads exact str only, not subclasses
            elif value is not None:
                values[name] = orjson.loads(orjson.dumps(value))  # dates as ISO strings, as on PostgreSQL
        values.pop("id", None)
        objs.append(model(**values))
    model.objects.bulk_create(objs, batch_size=200)
    if returning_ids:
        for row, obj in zip(rows, objs, strict=True):
            row["id"] = obj.pk
        return [obj.pk for obj in objs]
    return None


def _copy(model, fields, defaults, rows, returning_ids):
    table = model._meta.db_table
    quote = connection.ops.quote_name
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
    columns = [f.column for f in fields]
    attnames = [f.attname for f in fields]
    with connection.cursor() as cursor:
        if returning_ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(rows)]
            )
            ids = [r[0] for r in cursor.fetchall()]
            for row, new_id in zip(rows, ids, strict=True):
                row["id"] = new_id
            columns = ["id", *columns]
            attnames = ["id", *attnames]
        sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"  # noqa: S608 - model meta
        with cursor.cursor.copy(sql) as copy:
            for row in rows:
                values = []
                for name in attnames:
                    value = row[name] if name in row else defaults.get(name)
                    if name in json_fields and value is not None and not isinstance(value, RawJSON):
                        value = orjson.dumps(value).decode()
                    values.append(value)
                copy.write_row(values)
    return ids if returning_ids else None


def insert_objects(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """bulk_create for the few rows that are not on the hot path (e.g. feed exceptions)."""
    if objs:
        model.objects.bulk_create(objs, batch_size=None if is_postgres() else 200)


_M = TypeVar("_M", bound=models.Model)


def lock_rows(queryset: models.QuerySet[_M]) -> list[_M]:
    """Rows locked for the rest of the transaction (PostgreSQL); SQLite's IMMEDIATE transaction already
    holds the database's one write lock, so the plain read is enough there."""
    return list(queryset.select_for_update(of=("self",)) if is_postgres() else queryset)


def latest_raws(version_model: type[models.Model], owner: str, owner_ids: list[int]) -> dict[int, Any]:
    """The raw record of the latest stored version of each of `owner_ids` (one query): what an amendment in
    this batch is compared with. `owner` names the version model's link to its record ("ticket", "report")."""
    if not owner_ids:
        return {}
    rows = version_model._default_manager.filter(
        **{f"{owner}_id__in": owner_ids, "version": models.F(f"{owner}__latest_version")}
    ).values_list(f"{owner}_id", "raw")
    return dict(rows)
