# The ticket page's possible-match warning at 1,000,000 tickets (issue 15): one index range on
# (UPPER(last name), issued_at) instead of every ticket with the name. Built CONCURRENTLY (sector/core/db_operations.py).

import django.db.models.functions.text
from django.db import migrations, models

from sector.core.db_operations import AddIndexConcurrently


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("citations", "0009_merge_officer_person_and_source_system"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="ticket",
            index=models.Index(
                django.db.models.functions.text.Upper("defendant_last_name"),
                models.F("issued_at"),
                name="ticket_name_issued_idx",
            ),
        ),
    ]
