import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sector.training import roster, services
from tests.training.helpers import court_staff, event, officer

pytestmark = pytest.mark.django_db


def _csv(*lines):
    return ("\n".join(lines) + "\n").encode()


def test_roster_import_previews_then_registers_everyone(world):
    ev = event(world, days=5)
    a = officer(world, personnel_number="OPD-1")
    b = officer(world, personnel_number="OPD-2")
    client = world.client_for("lasa")
    upload = SimpleUploadedFile("r.csv", _csv("agency_ori,personnel_number", "WA0340100,OPD-1", "wa0340100,OPD-2"))
    preview = client.post(reverse("training:roster_import", args=[ev.pk]), {"file": upload})
    assert preview.status_code == 200 and ev.registrations.count() == 0
    done = client.post(reverse("training:roster_import_confirm", args=[ev.pk]), {"token": preview.context["token"]})
    assert done.status_code == 302
    assert set(ev.registrations.values_list("person_id", flat=True)) == {a.pk, b.pk}


def test_a_roster_with_bad_lines_registers_nobody_and_names_each_line(world):
    ev = event(world, days=5, capacity=2)
    officer(world, personnel_number="OPD-1")
    officer(world, personnel_number="OPD-2")
    officer(world, personnel_number="OPD-3")
    officer(world, world.agency_b, personnel_number="SPD-9")
    data = _csv("agency_ori,personnel_number", "WA0340100,OPD-1", "WA0340100,OPD-1", "WA0340100,NOPE",
                "WA0320400,SPD-9", "WA0340100,OPD-2", "WA0340100,OPD-3")  # fmt: skip
    dataset = roster.read_roster(data, ev)
    preview = roster.preview_roster(event=ev, actor=world.users["lasa"], dataset=dataset)
    errors = {n: e for n, _, _, e in preview.rows}
    assert errors[2] == []
    assert "listed twice" in errors[3][0]
    assert "No person with personnel number NOPE" in errors[4][0]
    assert "No person with personnel number SPD-9" in errors[5][0]  # another agency's officer: not reachable
    assert errors[6] == []
    assert "No seat left" in errors[7][0]
    with pytest.raises(services.TrainingError, match="line"):
        roster.import_roster(event=ev, actor=world.users["lasa"], dataset=dataset)
    assert ev.registrations.count() == 0


def test_court_staff_rosters_by_court_and_name(world):
    ev = event(world, "court_staff", days=5)
    staff = court_staff(world, first_name="Ray", last_name="Holloway")
    book = tablib.Dataset(headers=["Court code", "Last name", "First name"])
    book.append(["d34", "holloway", "ray"])
    dataset = roster.read_roster(book.export("xlsx"), ev)
    assert roster.import_roster(event=ev, actor=world.users["aoc"], dataset=dataset) == 1
    assert ev.registrations.get().person == staff


@pytest.mark.parametrize(
    "content, message",
    [(b"", "empty"), (b"\x00\x01", "neither CSV"), (b"name\nx\n", "Missing column"), (b"PK\x03\x04x", "Excel")],
)
def test_unreadable_rosters_are_refused(world, content, message):
    with pytest.raises(roster.ImportFileError, match=message):
        roster.read_roster(content, event(world, days=5))


def test_roster_export_shows_only_the_users_people(world):
    ev = event(world, days=5)
    mine = officer(world, personnel_number="OPD-7", last_name="Mine")
    theirs = officer(world, world.agency_b, personnel_number="SPD-7", last_name="Theirs")
    services.registration_add(event=ev, person=mine, actor=world.users["lasa"])
    services.registration_add(event=ev, person=theirs, actor=world.users["lasa2"])
    body = world.client_for("lasa").get(reverse("training:roster_export", args=[ev.pk])).content.decode()
    assert "Mine" in body and "Theirs" not in body
    full = world.client_for("waspc").get(reverse("training:roster_export", args=[ev.pk]) + "?format=xlsx")
    sheet = tablib.Dataset().load(full.content, format="xlsx")
    assert sorted(sheet["last_name"]) == ["Mine", "Theirs"]


def test_coverage_per_agency_and_court(world):
    from tests.onboarding.helpers import start

    start(world)
    page = world.client_for("waspc").get(reverse("training:coverage"))
    assert page.status_code == 200
    row = next(o for o in page.context["agencies"] if o.onboarding.agency_id == world.agency_a.pk)
    assert row.trained == 0
