"""The one place where the database vendor matters for ingest: bulk inserts and row locks.

PostgreSQL: `bulk_create` writes one INSERT ... RETURNING per table per batch; rows whose ids nobody needs
back go through COPY (psycopg 3 `cursor.copy()`), the fastest path PERFORMANCE.md measured. SQLite (`make
run`): plain `bulk_create` in chunks under its variable limit. Both are exercised by the tests.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def insert_returning(model: type[models.Model], objs: Sequence[models.Model]) -> list[models.Model]:
    """Insert and fill in primary keys (one statement on PostgreSQL; a few chunks on SQLite)."""
    if not objs:
        return []
    batch_size = None if is_postgres() else 200
    return model.objects.bulk_create(objs, batch_size=batch_size)


def insert_plain(model: type[models.Model], objs: Sequence[models.Model], *, use_copy: bool = True) -> None:
    """Insert rows whose ids are not needed back: COPY on PostgreSQL, bulk_create elsewhere."""
    if not objs:
        return
    if use_copy and is_postgres():
        copy_rows(model, objs)
        return
    model.objects.bulk_create(objs, batch_size=None if is_postgres() else 200)


def copy_rows(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """COPY the concrete, non-auto fields of `objs` into the model's table (PostgreSQL only)."""
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # noqa: S608 - names from model meta
            for obj in objs:
                copy.write_row([_db_value(f, obj) for f in fields])


def _db_value(field: models.Field, obj: models.Model):
    value = field.pre_save(obj, add=True)
    value = field.get_db_prep_save(value, connection)
    # JSONField's prep value is a psycopg Jsonb adapter object; COPY wants its text.
    adapted = getattr(value, "obj", None)
    if adapted is not None and field.get_internal_type() == "JSONField":
        import json

        return json.dumps(adapted)
    return value


def lock_rows(queryset: models.QuerySet) -> list[models.Model]:
    """Rows locked for the rest of the transaction (PostgreSQL); SQLite's IMMEDIATE transaction already
    holds the database's one write lock, so the plain read is enough there."""
    return list(queryset.select_for_update(of=("self",)) if is_postgres() else queryset)
