"""Tickets received before the response deadline and the appearance check were stored: compute both on each
court's calendar as it stands (its hours and every recorded closure, its own and statewide)."""

from django.db import migrations


def backfill(apps, schema_editor):
    from courts.calendar import Calendar
    from courts.choices import DEFAULT_CLOSES, DEFAULT_OPENS

    Ticket = apps.get_model("citations", "Ticket")
    CourtCalendar = apps.get_model("courts", "CourtCalendar")
    CourtClosure = apps.get_model("courts", "CourtClosure")
    hours = {c.court_id: (c.opens_at, c.closes_at) for c in CourtCalendar.objects.all()}
    statewide, per_court = {}, {}
    for court_id, day, reason in CourtClosure.objects.values_list("court_id", "date", "reason"):
        (statewide if court_id is None else per_court.setdefault(court_id, {}))[day] = reason
    calendars = {}
    batch = []
    fields = ["response_due", "response_due_moved_from", "response_due_reason", "appearance_warning",
              "appearance_warning_note"]  # fmt: skip
    for ticket in Ticket.objects.filter(response_due__isnull=True).iterator(chunk_size=2000):
        cal = calendars.get(ticket.court_id)
        if cal is None:
            reasons = {**statewide, **per_court.get(ticket.court_id, {})}
            opens, closes = hours.get(ticket.court_id, (DEFAULT_OPENS, DEFAULT_CLOSES))
            cal = calendars[ticket.court_id] = Calendar(opens, closes, frozenset(reasons), reasons)
        for name, value in cal.later_dates(
            issued_at=ticket.issued_at,
            service=ticket.service,
            appearance_at=ticket.appearance_at,
            received_at=ticket.received_at,
        ).items():
            setattr(ticket, name, value)
        batch.append(ticket)
        if len(batch) >= 2000:
            Ticket.objects.bulk_update(batch, fields)
            batch = []
    if batch:
        Ticket.objects.bulk_update(batch, fields)


class Migration(migrations.Migration):
    dependencies = [
        ("courts", "0003_closure_constraints"),
        ("citations", "0004_ticket_response_due_and_appearance_warning"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
