from django.conf import settings
from django.db import migrations, models

COVERING = (
    'CREATE INDEX "ticket_queue_idx" ON "citations_ticket" '
    '("court_id", "needs_clerk", "queue_rank", "queue_at", "id") INCLUDE ("received_at", "late")'
)
PLAIN = (
    'CREATE INDEX "ticket_queue_idx" ON "citations_ticket" ("court_id", "needs_clerk", "queue_rank", "queue_at", "id")'
)


def _swap(sql):
    def run(apps, schema_editor):
        # PostgreSQL only: the queue index also carries received_at and late, so the clerk dashboard counts
        # pending and late tickets from the index alone. SQLite has no INCLUDE; it keeps the plain index.
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute('DROP INDEX IF EXISTS "ticket_queue_idx"')
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("citations", "0001_initial"),
        ("orgs", "0002_program_contacts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["court", "received_at"], name="ticket_court_received_idx"),
        ),
        migrations.RunPython(_swap(COVERING), _swap(PLAIN)),
    ]
