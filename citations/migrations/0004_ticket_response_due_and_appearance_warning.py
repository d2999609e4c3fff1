"""The response deadline on the court's calendar and the appearance check, stored on the ticket (courts 0004
fills them in for the tickets already received)."""

from importlib import import_module

from django.db import migrations, models

# The clerk dashboard counts appearance warnings among the pending tickets too: on PostgreSQL the pending-queue
# index carries the column, so the figures still come from the index alone (0002 and 0003 built it).
_swap = import_module("citations.migrations.0002_queue_dashboard_indexes")._swap
QUEUE = 'CREATE INDEX "ticket_queue_idx" ON "citations_ticket" ("court_id", "queue_rank", "queue_at", "id") '
COVERING = QUEUE + 'INCLUDE ("received_at", "late", "appearance_warning") WHERE "needs_clerk"'
PREVIOUS = QUEUE + 'INCLUDE ("received_at", "late") WHERE "needs_clerk"'
WARNINGS = [
    ("appearance_on_closed_day", "Appearance on a closed day"),
    ("appearance_outside_hours", "Appearance outside court hours"),
    ("appearance_past", "Appearance already past"),
]


class Migration(migrations.Migration):
    dependencies = [("citations", "0003_partial_queue_index")]

    operations = [
        migrations.AddField(
            "ticket", "appearance_warning", models.CharField(blank=True, choices=WARNINGS, max_length=30)
        ),
        migrations.AddField("ticket", "appearance_warning_note", models.CharField(blank=True, max_length=300)),
        migrations.AddField("ticket", "response_due", models.DateField(blank=True, null=True)),
        migrations.AddField("ticket", "response_due_moved_from", models.DateField(blank=True, null=True)),
        migrations.AddField("ticket", "response_due_reason", models.CharField(blank=True, max_length=200)),
        migrations.RunPython(_swap(COVERING), _swap(PREVIOUS)),
    ]
