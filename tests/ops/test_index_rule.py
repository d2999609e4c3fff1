"""Indexes on the large tables are built CONCURRENTLY (sector/core/db_operations.py, deploy/README.md)."""

import re

import pytest
from django.db import connection, migrations, models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState

from sector.core.db_operations import AddIndexConcurrently, RemoveIndexConcurrently

# Tables that grow with the feed: millions of rows in production.
LARGE = {
    ("citations", "ticket"), ("citations", "ticketversion"), ("citations", "violation"),
    ("collisions", "collisionreport"), ("collisions", "collisionversion"), ("collisions", "collisionunit"),
    ("collisions", "collisionperson"), ("collisions", "accesslog"),
    ("feed", "delivery"), ("feed", "batch"), ("feed", "feedexception"), ("core", "auditentry"),
}  # fmt: skip
LARGE_TABLES = {f"{app}_{model}" for app, model in LARGE}
# Migrations written before the rule (their indexes were built when the tables were small or empty).
BEFORE_THE_RULE = {
    ("citations", "0001_initial"), ("citations", "0002_queue_dashboard_indexes"),
    ("citations", "0003_partial_queue_index"), ("citations", "0004_search_keys_and_sort_indexes"),
    ("citations", "0004_ticket_response_due_and_appearance_warning"), ("citations", "0005_american_english_labels"),
    ("citations", "0006_merge_working_day_branches"), ("collisions", "0001_initial"),
    ("collisions", "0002_report_search_fields_and_injury_labels"), ("core", "0001_initial"),
    ("core", "0002_audit_append_only"), ("feed", "0001_initial"), ("feed", "0002_outbox"),
    ("feed", "0003_american_english_labels"),
}  # fmt: skip
_CREATE_INDEX = re.compile(r"CREATE\s+(UNIQUE\s+)?INDEX(?!\s+CONCURRENTLY)", re.IGNORECASE)


def _statements(sql) -> list[str]:
    """RunSQL's sql: a string, or a list of strings and (sql, params) pairs."""
    if isinstance(sql, str):
        return [sql]
    return [item if isinstance(item, str) else str(item[0]) for item in sql or []]


def _problems(loader) -> list[str]:
    problems = []
    for (app, name), migration in sorted(loader.disk_migrations.items()):
        if (app, name) in BEFORE_THE_RULE or app not in {a for a, _ in LARGE}:
            continue
        for op in migration.operations:
            where = f"{app}.{name}"
            if isinstance(op, migrations.AddIndex | migrations.RemoveIndex) and (app, op.model_name) in LARGE:
                if not isinstance(op, AddIndexConcurrently | RemoveIndexConcurrently):
                    problems.append(f"{where}: {type(op).__name__} on {op.model_name}: use sector.core.db_operations")
                elif migration.atomic:
                    problems.append(f"{where}: a concurrent index needs `atomic = False` on the migration")
            if isinstance(op, migrations.RunSQL):
                sql = " ".join(_statements(op.sql))
                if _CREATE_INDEX.search(sql) and any(t in sql for t in LARGE_TABLES):
                    problems.append(f"{where}: CREATE INDEX on a large table without CONCURRENTLY")
    return problems


def test_new_indexes_on_large_tables_are_built_concurrently():
    assert _problems(MigrationLoader(None, ignore_no_migrations=True)) == []


def test_the_rule_catches_a_plain_add_index():
    class Fake:
        disk_migrations = {
            ("citations", "0099_new_index"): type(
                "Migration",
                (migrations.Migration,),
                {"operations": [migrations.AddIndex("ticket", models.Index(fields=["plate"], name="x_idx"))]},
            )("0099_new_index", "citations"),
            ("feed", "0099_sql_index"): type(
                "Migration",
                (migrations.Migration,),
                {"operations": [migrations.RunSQL("CREATE INDEX y ON feed_delivery (label)")]},
            )("0099_sql_index", "feed"),
        }

    assert len(_problems(Fake())) == 2


@pytest.mark.django_db(transaction=True)
def test_the_concurrent_operation_builds_and_drops_the_index_outside_a_transaction():
    from django.apps import apps

    state = ProjectState.from_apps(apps)
    index = models.Index(fields=["label", "id"], name="delivery_label_drill_idx")
    add = AddIndexConcurrently("delivery", index)
    new_state = state.clone()
    add.state_forwards("feed", new_state)

    def exists() -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [index.name])
            return cursor.fetchone() is not None

    with connection.schema_editor(atomic=False, collect_sql=False) as editor:
        add.database_forwards("feed", editor, state, new_state)
    assert exists()
    with connection.schema_editor(atomic=False) as editor:
        add.database_backwards("feed", editor, new_state, state)
    assert not exists()
    remove = RemoveIndexConcurrently("delivery", index.name)
    assert remove.describe().startswith("Concurrently remove index")
