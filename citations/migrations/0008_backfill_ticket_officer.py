"""Link every stored ticket to its officer's person record: the agency's person with the personnel number of the
ticket's first version (what ingest does for new tickets). Tickets whose number names no person stay unlinked."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    Ticket = apps.get_model("citations", "Ticket")
    TicketVersion = apps.get_model("citations", "TicketVersion")
    Person = apps.get_model("orgs", "Person")
    first = TicketVersion.objects.filter(ticket=OuterRef(OuterRef("pk"))).order_by("version")
    person = (
        Person.objects.filter(
            agency_id=OuterRef("agency_id"), personnel_number=Subquery(first.values("officer_personnel_number")[:1])
        )
        .exclude(personnel_number="")
        .values("pk")[:1]
    )
    Ticket.objects.filter(officer__isnull=True).update(officer_id=Subquery(person))


class Migration(migrations.Migration):
    dependencies = [
        ("citations", "0007_ticket_officer_person"),
        ("orgs", "0004_american_english_labels"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
