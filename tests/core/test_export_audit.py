"""Issue 12: bulk exports of personal data are audit-logged: who, what, the filters and the row count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sector.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _export_entries():
    return list(AuditEntry.objects.filter(action__endswith=".exported").order_by("id"))


def test_the_clerks_ticket_export_is_logged_with_filters_and_rows(world):
    from tests.feed.factories import make_ticket

    make_ticket(ticket_number="EXPA1")
    make_ticket(ticket_number="EXPA2")
    response = world.client_for("clerk").get("/courts/intake/export.csv", {"sort": "received"})
    assert response.status_code == 200
    [entry] = _export_entries()
    assert entry.action == "courts.tickets.exported"
    assert entry.actor == world.users["clerk"]
    assert entry.data["format"] == "csv" and entry.data["rows"] == 2
    assert entry.data["filters"] == {"sort": "received"}


def test_the_support_queue_export_is_logged(world):
    from tests.support.helpers import raise_request

    raise_request(world)
    response = world.client_for("wsp").get(reverse("support:request_export"), {"format": "xlsx", "status": "open"})
    assert response.status_code == 200
    [entry] = _export_entries()
    assert entry.action == "support.requests.exported" and entry.actor == world.users["wsp"]
    assert entry.data["rows"] == 1 and entry.data["format"] == "xlsx" and entry.data["filters"] == {"status": "open"}


def test_a_training_roster_export_is_logged(world):
    from sector.training import services
    from tests.training.helpers import event, officer

    ev = event(world, days=5)
    services.registration_add(event=ev, person=officer(world, personnel_number="OPD-9"), actor=world.users["lasa"])
    response = world.client_for("lasa").get(reverse("training:roster_export", args=[ev.pk]))
    assert response.status_code == 200
    [entry] = _export_entries()
    assert entry.action == "training.roster.exported" and entry.data["rows"] == 1
    assert entry.object_id == str(ev.pk)


def test_the_onboarding_pipeline_export_is_logged(world):
    from tests.onboarding.helpers import start

    start(world)
    response = world.client_for("waspc").get(reverse("onboarding:export"), {"format": "xlsx"})
    assert response.status_code == 200
    [entry] = _export_entries()
    assert entry.action == "onboarding.pipeline.exported" and entry.data["rows"] == 1


def test_an_admin_export_of_people_is_logged(world):
    from sector.orgs.models import Person

    Person.objects.create(agency=world.agency_a, last_name="Park", first_name="Jamie", kind="officer")
    from sector.orgs.resources import PersonResource

    client = world.client_for("admin")
    fields = {f"personresource_{name}": "on" for name in PersonResource().get_export_order()}
    response = client.post("/admin/orgs/person/export/", {"format": "0", "resource": "0", **fields})
    assert response.status_code == 200, response.content.decode()[:2000]
    assert response["Content-Disposition"].startswith("attachment")
    [entry] = _export_entries()
    assert entry.action == "orgs.person.exported" and entry.actor == world.users["admin"]
    assert entry.data["rows"] == Person.objects.count()
