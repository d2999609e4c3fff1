"""Words and numbers a practitioner reads without translating: Pacific times with the zone, money with
separators, durations in one unit, history entries with field labels and the badge's status words."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from citations.models import Ticket
from courts import services
from sector.core import formatting
from tests.feed.factories import make_ticket

UTC = ZoneInfo("UTC")
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_a_time_reads_in_pacific_time_with_its_zone_winter_and_summer():
    assert formatting.pacific(datetime(2026, 12, 4, 0, 5, tzinfo=UTC)) == "Dec 3, 2026, 4:05 PM PST"
    assert formatting.pacific(datetime(2026, 7, 1, 19, 30, tzinfo=UTC)) == "Jul 1, 2026, 12:30 PM PDT"
    assert formatting.pacific(date(2026, 12, 25)) == "Dec 25, 2026"
    assert formatting.pacific(None) == ""


def test_the_filters_are_available_in_every_template_without_a_load_tag():
    at = datetime(2026, 12, 4, 0, 5, tzinfo=UTC)
    assert render("{{ at|pacific }}", at=at) == "Dec 3, 2026, 4:05 PM PST"
    assert render('{{ at|pacific:"weekday" }}', at=at) == "Thu, Dec 3, 2026, 4:05 PM PST"
    assert render("{{ at|pacific_time }}", at=at) == "4:05 PM PST"
    assert render("{{ n|money }}", n=Decimal("1250")) == "$1,250.00"
    assert render("{{ n|money }}", n=None) == "—"
    assert render('{{ d|duration:"days" }}', d=timedelta(days=12, hours=5)) == "12 days"


def test_money_has_thousands_separators_and_cents():
    assert formatting.money(Decimal("1234567.5")) == "$1,234,567.50"
    assert formatting.money(1) == "$1.00"
    assert formatting.money(Decimal("-20")) == "-$20.00"


@pytest.mark.parametrize(
    "delta, unit, expected",
    [
        (timedelta(days=12), "days", "12 days"),  # not "1 week, 5 days"
        (timedelta(days=1, hours=2), "days", "1 day"),
        (timedelta(days=1, hours=2), "hours", "26 hours"),
        (timedelta(minutes=90), "minutes", "90 minutes"),
        (timedelta(seconds=-5), "hours", "0 hours"),
    ],
)
def test_a_duration_is_in_the_one_unit_the_screen_chooses(delta, unit, expected):
    assert formatting.duration(delta, unit) == expected


def test_since_counts_from_now_in_one_unit():
    assert formatting.since(timezone.now() - timedelta(days=8, hours=3), "days") == "8 days"


def test_no_template_formats_a_time_itself():
    """Every clock time goes through `pacific` (the zone shown); `date` formats are for dates only, and
    `timesince` (which mixes units) is not used."""
    bad = []
    for path in TEMPLATES.rglob("*"):
        if path.suffix not in (".html", ".txt"):
            continue
        text = path.read_text()
        for fmt in re.findall(r'\|date:"([^"]*)"', text):
            if re.search(r"[aAgGhHisTPU]", fmt):
                bad.append(f"{path.relative_to(TEMPLATES)}: date:{fmt!r}")
        for needle in ("|timesince", "|timeuntil", "|naturaltime", "|date:'Y-m-d'", '|date:"Y-m-d"'):
            if needle in text:
                bad.append(f"{path.relative_to(TEMPLATES)}: {needle}")
    assert not bad, "\n".join(bad)


def test_history_names_fields_by_label_and_states_by_the_badge_word(world):
    clerk = world.users["clerk"]
    t = services.ticket_accept(ticket=make_ticket(), actor=clerk, case_number="D34-26-000123")
    page = world.client_for("clerk").get(reverse("courts:ticket_detail", args=[t.pk])).content.decode()
    history = page[page.index('id="timeline-heading"') :]
    history = history.split("<aside", 1)[0]  # the actions column beside it has its own case-number field
    assert Ticket(status="accepted").get_status_display() == "Filed"
    assert "— Filed</span>" in history  # the entry's headline is the state the badge shows
    assert "<dt>Status</dt>" in history and "<del>Received</del>" in history and "<ins>Filed</ins>" in history
    assert "<dt>Case number</dt>" in history
    assert "case_number" not in history and "accepted_at" not in history and ">accepted<" not in history
    assert re.search(r"\d{1,2}:\d\d [AP]M P[SD]T</time>", history)


def test_history_values_are_labels_not_codes():
    from sector.support.models import SupportRequest

    assert formatting.value_label(Ticket, "status", "correction_requested") == "Correction requested"
    assert formatting.value_label(Ticket, "needs_clerk", True) == "Yes"
    assert formatting.value_label(Ticket, "accepted_at", "2026-12-04T00:05:00+00:00") == "Dec 3, 2026, 4:05 PM PST"
    assert formatting.field_label(Ticket, "licence_number") == "License number"
    assert formatting.field_label(SupportRequest, "some_fact") == "Some fact"
    assert formatting.value_label(None, "x", None) == "—"
