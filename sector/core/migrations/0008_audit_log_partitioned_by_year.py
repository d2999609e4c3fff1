"""The audit log becomes a table partitioned by Pacific year (issue 16 item 5, sector/core/partitions.py), so a
lawful purge drops a year's partition instead of lifting the append-only guard. PostgreSQL only: SQLite keeps
the plain table."""

from django.db import migrations

from sector.core.partitions import partition_backward, partition_forward


class Migration(migrations.Migration):
    dependencies = [("core", "0007_outgoing_mail")]
    operations = [
        migrations.RunPython(partition_forward("core_auditentry"), partition_backward("core_auditentry")),
    ]
