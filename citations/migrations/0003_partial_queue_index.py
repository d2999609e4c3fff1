from django.db import migrations, models

COVERING = (
    'CREATE INDEX "ticket_queue_idx" ON "citations_ticket" ("court_id", "queue_rank", "queue_at", "id") '
    'INCLUDE ("received_at", "late") WHERE "needs_clerk"'
)


def covering(apps, schema_editor):
    # PostgreSQL only: the pending-queue index also carries received_at and late for the clerk dashboard.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('DROP INDEX IF EXISTS "ticket_queue_idx"')
        schema_editor.execute(COVERING)


class Migration(migrations.Migration):
    dependencies = [("citations", "0002_queue_dashboard_indexes")]

    operations = [
        migrations.RemoveIndex(model_name="ticket", name="ticket_queue_idx"),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(("needs_clerk", True)),
                fields=["court", "queue_rank", "queue_at", "id"],
                name="ticket_queue_idx",
            ),
        ),
        migrations.RunPython(covering, migrations.RunPython.noop),
    ]
