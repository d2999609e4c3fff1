"""The one place where the database vendor matters for ingest: bulk inserts and row locks.

Rows are plain dicts of column values (attnames), so the hot path builds no model instances.
PostgreSQL: ids come from the table's sequence in one query (`nextval` over `generate_series`) and the
rows go in by COPY (psycopg 3 `cursor.copy()`), the fastest path PERFORMANCE.md measured. SQLite (`make
run`): `bulk_create` in chunks under its variable limit, ids read back. Both paths run in the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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


def insert_rows(
    model: type[models.Model],
    rows: Sequence[dict],
    *,
    returning_ids: bool = False,
    write_order: Callable[[dict], Any] | None = None,
) -> list[int] | None:
    """Insert `rows` (column attname -> value; missing columns take the field default). With
    `returning_ids`, each row gets its new "id" and the ids are returned in order. A fixed number of
    queries whatever the number of rows (PostgreSQL: 1 or 2; SQLite: one per 200 rows).

    `write_order`: a sort key for the order rows are written in (ids are still given in `rows` order). Writing
    a unique index's rows in its key order lets concurrent writers of the same keys wait for each other in one
    order only, never in a cycle (a deadlock)."""
    if not rows:
        return [] if returning_ids else None
    fields = _fields(model)
    defaults = _defaults(fields)
    if is_postgres():
        return _copy(model, fields, defaults, rows, returning_ids, write_order)
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


def _copy(model, fields, defaults, rows, returning_ids, write_order=None):
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
        # Per row: one list built by a comprehension over (column, default) pairs, then the JSON columns turned
        # into JSON text; psycopg's C formatter writes the row.
        pairs = [(name, defaults.get(name)) for name in attnames]
        json_at = [i for i, name in enumerate(attnames) if name in json_fields]
        dumps = orjson.dumps
        # psycopg's own errors (a unique violation, a deadlock) as Django's, as for every other query: the feed
        # tells a concurrent batch's IntegrityError and a transient OperationalError from a record's fault.
        with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
            write_row = copy.write_row
            for row in rows if write_order is None else sorted(rows, key=write_order):
                get = row.get
                values = [get(name, default) for name, default in pairs]
                for i in json_at:
                    value = values[i]
                    if value is not None and value.__class__ is not RawJSON:
                        values[i] = dumps(value).decode()
                write_row(values)
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
