"""The append-only logs (the audit log and the collision access log) kept in partitions by year (issue 16 item 5).

On PostgreSQL each log is a declaratively partitioned table, `PARTITION BY RANGE (at)`, with one partition per
Pacific calendar year (`<table>_y2026`) and a catch-all `<table>_default`. The append-only guard stays exactly
as it was: the row trigger on the parent is cloned onto every partition (UPDATE and DELETE refused anywhere),
and the TRUNCATE trigger is put on the parent and on each partition (a statement trigger is not cloned). A
lawful purge of a year detaches that year's partition and drops it: DDL on a whole year, never a DELETE, so the
guard is never lifted, row by row or otherwise. SQLite (the `make run` demo) keeps plain tables.

The primary key of a partitioned table must hold the partition key, so the database's key is (id, at); `id`
still comes from the one identity sequence, so Django's `pk` stays unique.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connection

FIRST_YEAR = 2020


@dataclass(frozen=True)
class LogTable:
    table: str
    label: str
    row_trigger: str
    truncate_trigger: str
    guard_function: str


LOG_TABLES: dict[str, LogTable] = {
    "core_auditentry": LogTable(
        "core_auditentry", "Audit log", "core_auditentry_append_only", "core_auditentry_no_truncate",
        "core_auditentry_append_only",
    ),
    "collisions_accesslog": LogTable(
        "collisions_accesslog", "Collision report access log", "collisions_accesslog_append_only",
        "collisions_accesslog_no_truncate", "collisions_accesslog_append_only",
    ),
}  # fmt: skip


def partition_name(table: str, year: int) -> str:
    return f"{table}_y{int(year)}"


def year_bounds(year: int) -> tuple[str, str]:
    """Midnight January 1 Pacific (always standard time, UTC-8) to the next."""
    return f"{int(year)}-01-01 00:00:00-08:00", f"{int(year) + 1}-01-01 00:00:00-08:00"


def is_partitioned(table: str, cursor=None) -> bool:
    if connection.vendor != "postgresql":
        return False
    with _cursor(cursor) as cur:
        cur.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s)", [table])
        return cur.fetchone() is not None


def year_partitions(table: str, cursor=None) -> list[int]:
    """The years that have their own partition, oldest first."""
    if not is_partitioned(table, cursor):
        return []
    with _cursor(cursor) as cur:
        cur.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(%s)",
            [table],
        )
        prefix = f"{table}_y"
        return sorted(int(name[len(prefix) :]) for (name,) in cur.fetchall() if name.startswith(prefix))


class _cursor:
    """Use the cursor given (a migration's) or open one."""

    def __init__(self, cursor):
        self.given = cursor
        self.own = None

    def __enter__(self):
        if self.given is not None:
            return self.given
        self.own = connection.cursor()
        return self.own.__enter__()

    def __exit__(self, *exc):
        if self.own is not None:
            return self.own.__exit__(*exc)
        return False


def _guard_partition(cur, log: LogTable, partition: str) -> None:
    cur.execute(
        f'CREATE TRIGGER {log.truncate_trigger} BEFORE TRUNCATE ON "{partition}" '
        f"FOR EACH STATEMENT EXECUTE FUNCTION {log.guard_function}()"
    )


def create_year_partition(table: str, year: int, cursor=None) -> bool:
    """Add `year`'s partition (guarded) unless it exists. False when it cannot be added because the catch-all
    partition already holds rows of that year (they stay there; that year is then purged only with the rest)."""
    log = LOG_TABLES[table]
    name = partition_name(table, year)
    start, end = year_bounds(year)
    with _cursor(cursor) as cur:
        cur.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        if cur.fetchone()[0]:
            return True
        cur.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}_default" WHERE at >= %s AND at < %s)', [start, end])  # noqa: S608 - table names come from LOG_TABLES only
        if cur.fetchone()[0]:
            return False
        cur.execute(f"CREATE TABLE \"{name}\" PARTITION OF \"{table}\" FOR VALUES FROM ('{start}') TO ('{end}')")
        _guard_partition(cur, log, name)
    return True


def ensure_year_partitions(years: list[int] | None = None) -> list[str]:
    """Make sure this year's and the next two years' partitions exist (the beat runs this daily); returns the
    partitions added."""
    from django.utils import timezone

    from .formatting import PACIFIC

    if connection.vendor != "postgresql":
        return []
    this_year = timezone.now().astimezone(PACIFIC).year
    added = []
    for table in LOG_TABLES:
        if not is_partitioned(table):
            continue
        have = set(year_partitions(table))
        for year in years or range(this_year, this_year + 3):
            if year not in have and create_year_partition(table, year):
                added.append(partition_name(table, year))
    return added


def count_in_year(table: str, year: int) -> int:
    start, end = year_bounds(year)
    with connection.cursor() as cur:
        cur.execute(f'SELECT count(*) FROM "{table}" WHERE at >= %s AND at < %s', [start, end])  # noqa: S608 - table names come from LOG_TABLES only
        return int(cur.fetchone()[0])


def drop_year_partition(table: str, year: int) -> int:
    """Detach `year`'s partition and drop it; returns how many entries it held. The caller checks retention and
    holds and writes the certificate; this is DDL only (no row trigger fires, no guard is lifted)."""
    name = partition_name(table, year)
    with connection.cursor() as cur:
        # Deferred foreign-key checks still pending in this transaction are run now: a table with pending trigger
        # events cannot be dropped (only rows written in this same transaction could have them).
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute(f'SELECT count(*) FROM "{name}"')  # noqa: S608 - table names come from LOG_TABLES only
        count = int(cur.fetchone()[0])
        cur.execute(f'ALTER TABLE "{table}" DETACH PARTITION "{name}"')
        cur.execute(f'DROP TABLE "{name}"')
    return count


# --- the migration's rebuild ----------------------------------------------------------------------------------


def _table_shape(cur, table: str) -> tuple[list[str], list[str]]:
    cur.execute(
        "SELECT pg_get_indexdef(x.indexrelid) FROM pg_index x WHERE x.indrelid = to_regclass(%s) "
        "AND NOT x.indisprimary",
        [table],
    )
    indexes = [row[0] for row in cur.fetchall()]
    cur.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = to_regclass(%s) "
        "AND contype IN ('f', 'c')",
        [table],
    )
    constraints = [f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}' for name, definition in cur.fetchall()]
    return indexes, constraints


def rebuild(cur, table: str, *, partitioned: bool, last_year: int) -> None:
    """Rebuild `table` as a partitioned table (or back as a plain one) keeping its rows, ids, identity sequence,
    index names, foreign keys and append-only triggers."""
    log = LOG_TABLES[table]
    old = f"{table}_rebuilt_from"
    indexes, constraints = _table_shape(cur, table)
    cur.execute(f'ALTER TABLE "{table}" RENAME TO "{old}"')
    cur.execute(f"SELECT pg_get_serial_sequence('{old}', 'id')")
    old_sequence = cur.fetchone()[0]
    cur.execute(
        f'CREATE TABLE "{table}" (LIKE "{old}" INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING STORAGE)'
        + (" PARTITION BY RANGE (at)" if partitioned else "")
    )
    if partitioned:
        cur.execute(f'ALTER TABLE "{table}" ADD PRIMARY KEY (id, at)')
        cur.execute(f'CREATE TABLE "{table}_default" PARTITION OF "{table}" DEFAULT')
        for year in range(FIRST_YEAR, last_year + 1):
            start, end = year_bounds(year)
            cur.execute(
                f'CREATE TABLE "{partition_name(table, year)}" PARTITION OF "{table}" '
                f"FOR VALUES FROM ('{start}') TO ('{end}')"
            )
    else:
        cur.execute(f'ALTER TABLE "{table}" ADD PRIMARY KEY (id)')
    cur.execute(f'INSERT INTO "{table}" SELECT * FROM "{old}"')  # noqa: S608 - table names come from LOG_TABLES only
    cur.execute(f'DROP TABLE "{old}"')  # DDL: the old table's triggers do not fire
    cur.execute("SELECT conname FROM pg_constraint WHERE conrelid = to_regclass(%s) AND contype = 'p'", [table])
    (pkey,) = cur.fetchone()
    if pkey != f"{table}_pkey":
        cur.execute(f'ALTER TABLE "{table}" RENAME CONSTRAINT "{pkey}" TO "{table}_pkey"')
    cur.execute(f"SELECT pg_get_serial_sequence('{table}', 'id')")
    sequence = cur.fetchone()[0]
    if old_sequence and sequence != old_sequence:
        cur.execute(f"ALTER SEQUENCE {sequence} RENAME TO {old_sequence.split('.')[-1]}")
        sequence = old_sequence
    cur.execute(f'SELECT setval(%s, COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM "{table}"', [sequence])  # noqa: S608 - table names come from LOG_TABLES only
    for definition in indexes:
        cur.execute(definition)
    for statement in constraints:
        cur.execute(statement)
    cur.execute(
        f'CREATE TRIGGER {log.row_trigger} BEFORE UPDATE OR DELETE ON "{table}" '
        f"FOR EACH ROW EXECUTE FUNCTION {log.guard_function}()"
    )
    _guard_partition(cur, log, table)
    if partitioned:
        cur.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = "
            "to_regclass(%s)",
            [table],
        )
        for (partition,) in cur.fetchall():
            _guard_partition(cur, log, partition)


def partition_forward(table: str):
    def forward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cur:
            cur.execute("SELECT extract(year FROM now() AT TIME ZONE 'America/Los_Angeles')::int")
            rebuild(cur, table, partitioned=True, last_year=cur.fetchone()[0] + 2)

    return forward


def partition_backward(table: str):
    def backward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cur:
            rebuild(cur, table, partitioned=False, last_year=0)

    return backward


# --- the logs as record classes (sector/core/retention.py) ------------------------------------------------------


def log_year_class(table: str, key: str, label: str, *, holds_reach_entries: bool = False):
    """A record class whose records are a log's years: a year is due when all of it is older than the cutoff;
    its disposition drops the year's partition. With `holds_reach_entries`, a year that holds an entry about a
    held record (the audit log's `content_type`/`object_id`) is kept with it."""
    from django.utils import timezone

    from .formatting import PACIFIC
    from .retention import DueItem, RecordClass

    def due(cutoff, limit):
        if not is_partitioned(table):
            return []
        items = []
        for year in year_partitions(table):
            end = datetime(year + 1, 1, 1, tzinfo=PACIFIC)
            if end > cutoff:
                break
            with connection.cursor() as cur:
                cur.execute(f'SELECT count(*) FROM "{partition_name(table, year)}"')  # noqa: S608 - table names come from LOG_TABLES only
                count = int(cur.fetchone()[0])
            if count:
                items.append(DueItem(str(year), f"Year {year}: {count:,} entries", end, count))
        return items[:limit]

    def dispose(pks):
        this_year = timezone.now().astimezone(PACIFIC).year
        total = 0
        for pk in pks:
            year = int(pk)
            if year >= this_year:  # never the year being written
                continue
            total += drop_year_partition(table, year)
        return total

    def held(holds):
        if not holds_reach_entries or not holds or connection.vendor != "postgresql":
            return set()
        from django.apps import apps
        from django.contrib.contenttypes.models import ContentType

        years: set[str] = set()
        with connection.cursor() as cur:
            for hold in holds:
                try:
                    model = apps.get_model(hold.record_class)
                except (LookupError, ValueError):
                    continue
                ct = ContentType.objects.get_for_model(model, for_concrete_model=False)
                cur.execute(
                    f"SELECT DISTINCT extract(year FROM at AT TIME ZONE 'America/Los_Angeles')::int FROM \"{table}\" "  # noqa: S608 - table names come from LOG_TABLES only
                    "WHERE content_type_id = %s AND object_id = %s",
                    [ct.pk, hold.object_id],
                )
                years |= {str(y) for (y,) in cur.fetchall()}
        return years

    return RecordClass(
        key=key, label=label, closing="the end of the year the entry was written (Pacific time)",
        method="year partition dropped", due=due, dispose=dispose, held=held,
    )  # fmt: skip
