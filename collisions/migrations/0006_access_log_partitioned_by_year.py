"""The access log becomes a table partitioned by Pacific year (issue 16 item 5, sector/core/partitions.py), so a
lawful purge drops a year's partition instead of lifting the append-only guard. PostgreSQL only."""

from django.db import migrations

from sector.core.partitions import partition_backward, partition_forward


class Migration(migrations.Migration):
    dependencies = [("collisions", "0005_overdue_reminder_sent")]
    operations = [
        migrations.RunPython(partition_forward("collisions_accesslog"), partition_backward("collisions_accesslog")),
    ]
