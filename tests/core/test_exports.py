"""Every spreadsheet export escapes formulas with the one rule (sector.core.exports.escape_cell): a cell starting
with = + - @ | tab or CR gets a leading apostrophe."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sector.core.exports import escape_cell
from sector.orgs.models import Agency
from sector.training import services as training
from tests.feed.factories import make_ticket
from tests.onboarding.helpers import start
from tests.support.helpers import raise_request
from tests.training.helpers import event, officer

pytestmark = pytest.mark.django_db
PIPE, AT = "|cmd /c calc", "@SUM(A1)"


@pytest.mark.parametrize("value", ["=1", "+1", "-1", "@SUM(A1)", "|cmd", "\tx", "\rx"])
def test_escape_cell_escapes_every_formula_start(value):
    assert escape_cell(value) == "'" + value


def test_escape_cell_leaves_other_values_alone():
    assert (escape_cell("Olympia"), escape_cell(42), escape_cell(None), escape_cell("a|b")) == (
        "Olympia",
        42,
        None,
        "a|b",
    )


def _cells(response) -> list[str]:
    if response["Content-Type"].startswith("text/csv"):
        text = response.content.decode("utf-8-sig")
        return [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]


def _assert_escaped(response):
    assert response.status_code == 200, response.content[:300]
    cells = _cells(response)
    assert "'" + PIPE in cells and "'" + AT in cells, cells
    assert PIPE not in cells and AT not in cells


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_support_export(world, fmt):
    raise_request(world, subject=PIPE, description=AT)
    _assert_escaped(world.client_for("wsp").get(reverse("support:request_export"), {"format": fmt}))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_clerks_intake_export(world, fmt):
    make_ticket(ticket_number="EXP2", defendant={"last_name": PIPE, "first_name": AT})
    response = world.client_for("clerk").get(f"/courts/intake/export.{fmt}")
    cells = _cells(response)
    assert any(c.startswith("'" + PIPE) for c in cells) and not any(c.startswith(PIPE) for c in cells)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_onboarding_pipeline_export(world, fmt):
    Agency.objects.filter(pk=world.agency_a.pk).update(name=PIPE, county=AT)
    start(world)
    _assert_escaped(world.client_for("wsp").get(reverse("onboarding:export"), {"format": fmt}))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_training_roster_export(world, fmt):
    ev = event(world, days=5)
    training.registration_add(event=ev, person=officer(world, last_name=PIPE, first_name=AT), actor=world.users["lasa"])
    _assert_escaped(world.client_for("waspc").get(reverse("training:roster_export", args=[ev.pk]), {"format": fmt}))


def test_the_admin_export(world):
    Agency.objects.create(ori="WA0340300", name=PIPE, county=AT, kind="police")
    client = world.client_for("admin")
    response = client.post(
        "/admin/orgs/agency/export/",
        {"format": "0", "resource": "0", **{f"agencyresource_{f}": "on" for f in ("ori", "name", "county", "kind")}},
    )
    _assert_escaped(response)
