"""Migration operations for the large tables (tickets, their versions, collision reports, deliveries, batches,
the audit log): an index is built CONCURRENTLY on PostgreSQL, so adding one never blocks the feed's writes
for the minutes a 10-million-row build takes.

The rule (deploy/README.md, "Indexes on large tables"; tests/ops/test_index_rule.py enforces it): a new
migration that adds or removes an index on a large table uses these operations instead of
migrations.AddIndex / RemoveIndex, and sets `atomic = False` (CONCURRENTLY cannot run in a transaction).
On SQLite (`make run`) they are the plain operations.
"""

from django.contrib.postgres.operations import AddIndexConcurrently as _PgAddIndexConcurrently
from django.contrib.postgres.operations import RemoveIndexConcurrently as _PgRemoveIndexConcurrently
from django.db import migrations


class AddIndexConcurrently(_PgAddIndexConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return migrations.AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)
        return super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return migrations.AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)
        return super().database_backwards(app_label, schema_editor, from_state, to_state)


class RemoveIndexConcurrently(_PgRemoveIndexConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return migrations.RemoveIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)
        return super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return migrations.RemoveIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)
        return super().database_backwards(app_label, schema_editor, from_state, to_state)
