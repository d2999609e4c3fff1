"""Issue 16, capability 1: WASPC opens an agency's SECTOR -> TraCS migration with a cut-over date; its checklist
derives each item from the data that proves it; the board shows every agency's state, blockers and the days left
to the program deadline, with a chart and an export."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.test import override_settings
from django.utils import timezone

from sector.core.models import AuditEntry, OutgoingMail
from sector.feed.models import SenderCutover
from sector.orgs.models import Agency
from sector.program import selectors, services
from sector.program.choices import BoardState
from sector.program.models import TracsMigration
from tests.factories import AgencyFactory
from tests.program.helpers import (
    execute_tracs_agreement,
    make_ready,
    officers,
    open_migration,
    retrain,
    switch_sender,
)

pytestmark = pytest.mark.django_db


def test_opening_a_migration_schedules_the_feed_cutover_and_tells_the_agency(world):
    m = open_migration(world, days=30)
    cutover = SenderCutover.objects.get(agency=world.agency_a)
    assert (cutover.system, cutover.cutover_on, cutover.new_system) == ("WSP-BACKOFFICE", m.cutover_on, "TRACS")
    entry = AuditEntry.objects.get(action="program.migration.opened")
    assert entry.data["cutover_on"] == m.cutover_on.isoformat()
    assert OutgoingMail.objects.filter(to__contains=[world.users["lasa"].email]).exists()


def test_only_waspc_opens_and_not_twice_nor_in_the_past_nor_for_a_tracs_agency(world):
    later = timezone.localdate() + timedelta(days=10)
    with pytest.raises(services.ProgramError, match="Only the WASPC"):
        services.migration_open(agency=world.agency_a, cutover_on=later, actor=world.users["wsp"])
    with pytest.raises(services.ProgramError, match="past"):
        services.migration_open(
            agency=world.agency_a, cutover_on=timezone.localdate() - timedelta(days=1), actor=world.users["waspc"]
        )
    open_migration(world)
    with pytest.raises(services.ProgramError, match="already has"):
        services.migration_open(agency=world.agency_a, cutover_on=later, actor=world.users["waspc"])
    tracs = AgencyFactory(ori="WA0349999", records_system="TraCS")
    with pytest.raises(services.ProgramError, match="already uses TraCS"):
        services.migration_open(agency=tracs, cutover_on=later, actor=world.users["waspc"])
    assert AuditEntry.objects.filter(action="program.migration.open_refused").count() == 4


def test_the_checklist_derives_each_item_from_agreements_training_records_and_feed_credentials(world):
    m = open_migration(world)
    items = {i.key: i for i in selectors.migration_checklist(m)}
    assert not any(i.done for i in items.values())
    execute_tracs_agreement(world)
    people = officers(world.agency_a, 3)
    retrain(world, people[:2])
    items = {i.key: i for i in selectors.migration_checklist(m)}
    assert items["agreement"].done
    assert not items["training"].done and "2 of 3" in items["training"].detail
    retrain(world, people[2:])
    switch_sender(world.agency_a)
    items = {i.key: i for i in selectors.migration_checklist(m)}
    assert items["training"].done and items["sender"].done


def test_a_statewide_old_sender_does_not_count_as_the_switch(world):
    from sector.feed.services import credential_create

    m = open_migration(world)
    credential_create(system="WSP-BACKOFFICE", agencies=None)
    assert not {i.key: i for i in selectors.migration_checklist(m)}["sender"].done


def test_completing_is_refused_with_every_blocker_then_sets_the_records_system(world):
    m = open_migration(world)
    with pytest.raises(services.ProgramError) as refused:
        services.migration_complete(migration=m, actor=world.users["waspc"])
    assert len(refused.value.reasons) == 3
    make_ready(world)
    services.migration_complete(migration=m, actor=world.users["waspc"])
    m.refresh_from_db()
    world.agency_a.refresh_from_db()
    assert m.status == "completed" and world.agency_a.records_system == "TraCS"
    assert AuditEntry.objects.filter(action="orgs.agency.changed", object_id=str(world.agency_a.pk)).exists()
    with pytest.raises(services.ProgramError, match="completed"):
        services.migration_reschedule(migration=m, cutover_on=timezone.localdate(), actor=world.users["waspc"])


def test_rescheduling_moves_the_feed_cutover_too(world):
    m = open_migration(world, days=30)
    new = timezone.localdate() + timedelta(days=45)
    services.migration_reschedule(migration=m, cutover_on=new, actor=world.users["waspc"])
    assert SenderCutover.objects.get(agency=world.agency_a).cutover_on == new
    entry = AuditEntry.objects.get(action="program.migration.rescheduled")
    assert entry.changes["cutover_on"][1] == new.isoformat()


@override_settings(TRACS_PROGRAM_DEADLINE="2027-06-30")
def test_the_board_counts_every_state_and_flags_a_cutover_after_the_deadline(world):
    AgencyFactory(ori="WA0349998", records_system="TraCS")
    open_migration(world)
    services.migration_open(agency=world.agency_b, cutover_on=date(2027, 9, 1), actor=world.users["waspc"])
    rows = {r.agency.ori: r for r in selectors.board_rows(today=date(2027, 1, 1))}
    assert rows["WA0340100"].state == BoardState.IN_PROGRESS and len(rows["WA0340100"].blockers) == 3
    assert rows["WA0320400"].after_deadline
    assert rows["WA0349998"].state == BoardState.ON_TRACS
    make_ready(world)
    rows = {r.agency.ori: r for r in selectors.board_rows()}
    assert rows["WA0340100"].state == BoardState.READY and rows["WA0340100"].blockers == []
    counts = {s: n for s, _label, n in selectors.board_counts(list(rows.values()))}
    assert counts["ready"] == 1 and counts["in_progress"] == 1 and counts["on_tracs"] == 1
    assert selectors.days_left(date(2027, 6, 1)) == 29


def test_the_board_page_has_its_chart_data_and_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for i in range(8):
        agency = AgencyFactory(ori=f"WA05{i:05d}")
        services.migration_open(
            agency=agency, cutover_on=timezone.localdate() + timedelta(days=5), actor=world.users["waspc"]
        )
    client = world.client_for("aoc")
    with django_assert_max_num_queries(14):
        response = client.get("/program/tracs/")
    assert response.status_code == 200
    assert b"tracs-states-data" in response.content and b"days left" in response.content
    assert b"Open an agency" not in response.content  # AOC reads; WASPC opens
    assert b"Open an agency" in world.client_for("waspc").get("/program/tracs/").content


def test_the_export_as_csv_and_xlsx_lists_every_agency_and_is_logged(world):
    open_migration(world)
    client = world.client_for("wsp")
    csv = client.get("/program/tracs/export/?format=csv")
    text = csv.content.decode("utf-8-sig")
    assert "Olympia Police Department" in text and "In progress" in text
    xlsx = client.get("/program/tracs/export/?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == Agency.objects.filter(active=True).count() + 1
    assert AuditEntry.objects.filter(action="program.tracs_board.exported").count() == 2


def test_the_lasa_is_sent_to_the_own_migration_and_never_sees_another(world):
    open_migration(world)
    lasa = world.client_for("lasa")
    assert lasa.get("/program/tracs/")["Location"] == "/program/tracs/WA0340100/"
    page = lasa.get("/program/tracs/WA0340100/")
    assert page.status_code == 200 and b"What changes" in page.content and b"Move the cut-over" not in page.content
    assert world.client_for("lasa2").get("/program/tracs/WA0340100/").status_code == 404
    assert b"has not been opened" in world.client_for("lasa2").get("/program/tracs/").content


def test_completing_from_the_page_asks_for_confirmation_first(world):
    m = open_migration(world)
    make_ready(world)
    client = world.client_for("waspc")
    asked = client.post(f"/program/tracs/{world.agency_a.ori}/complete/")
    assert asked.status_code == 200 and b"Complete the migration" in asked.content
    assert TracsMigration.objects.get(pk=m.pk).status == "open"
    done = client.post(f"/program/tracs/{world.agency_a.ori}/complete/", {"confirmed": "1"})
    assert done.status_code == 302
    assert TracsMigration.objects.get(pk=m.pk).status == "completed"


def test_hostile_input_never_answers_500(world):
    client = world.client_for("waspc")
    assert client.post("/program/tracs/open/", {"agency": "WA0340100", "cutover_on": "31/31/2027"}).status_code == 302
    assert client.post("/program/tracs/open/", {"agency": "<script>", "cutover_on": "2027-01-01"}).status_code == 302
    assert client.get("/program/tracs/%00%ff/").status_code == 404
    open_migration(world)
    assert client.post("/program/tracs/WA0340100/reschedule/", {"cutover_on": "x"}).status_code == 302
    assert client.get("/program/tracs/export/?format=../../etc").status_code == 200
