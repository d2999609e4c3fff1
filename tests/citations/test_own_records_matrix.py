"""Matrix rows for own-records roles and a user of two organizations (issue 12), across the domain apps.

Personas (tests/matrix.py `add_own_record_personas`): "officer" (agency A, person 1123: the factories' records are
theirs), "officer2" (another officer of agency A) and "twoorg" (LASA of agency A, officer at agency B with person
7700). The answers: an officer sees the records they wrote and no other officer's (404); at agency B the two-
organization user sees only their own records and can neither review nor release there.
"""

import pytest
from django.urls import reverse

from citations.models import NumberBlock, Ticket
from collisions.models import CollisionReport
from tests.collisions.factories import make_report
from tests.core.test_permission_matrix import _answer, _mismatch
from tests.feed.factories import make_ticket
from tests.matrix import TWOORG_NUMBER, Case, add_own_record_personas

B_ORI = "WA0320400"


@pytest.fixture
def records(world):
    add_own_record_personas(world)
    return {
        "ticket_a": make_ticket(world),  # officer 1123 at agency A
        "ticket_b_mine": make_ticket(
            world, agency_ori=B_ORI, officer={"name": "Sam Both", "personnel_number": TWOORG_NUMBER}
        ),
        "ticket_b_other": make_ticket(
            world, agency_ori=B_ORI, officer={"name": "Ofc. Other", "personnel_number": "5555"}
        ),
        "report_a": make_report(),  # officer 1123 at agency A
        "report_b_mine": make_report(agency_ori=B_ORI, officer={"name": "Sam Both", "personnel_number": TWOORG_NUMBER}),
        "report_b_other": make_report(agency_ori=B_ORI, officer={"name": "Ofc. Other", "personnel_number": "5555"}),
    }


def _defendant():
    from tests.feed.factories import BASE_TICKET

    return dict(BASE_TICKET["defendant"])


ROWS = [
    # (url name, record, method, data, {persona: answer})
    ("citations:ticket_detail", "ticket_a", "get", None, {"officer": 200, "officer2": 404, "twoorg": 200}),
    ("citations:ticket_detail", "ticket_b_mine", "get", None, {"officer": 404, "twoorg": 200, "lasa2": 200}),
    ("citations:ticket_detail", "ticket_b_other", "get", None, {"officer": 404, "officer2": 404, "twoorg": 404}),
    # The clerk screens: an officer's own ticket is their business but not theirs to process (403); another's: 404.
    ("courts:ticket_detail", "ticket_a", "get", None, {"officer": 403, "officer2": 404, "twoorg": 403}),
    ("courts:ticket_action", "ticket_b_mine", "post", {"question": "Dismiss?"}, {"twoorg": 403, "officer": 404}),
    ("collisions:report_detail", "report_a", "get", None, {"officer": 200, "officer2": 404, "twoorg": 200}),
    ("collisions:report_pdf", "report_a", "get", None, {"officer": 200, "officer2": 404}),
    ("collisions:report_detail", "report_b_mine", "get", None, {"twoorg": 200, "officer": 404}),
    ("collisions:report_detail", "report_b_other", "get", None, {"twoorg": 404, "officer": 404}),
    ("collisions:releases", "report_a", "get", None, {"twoorg": 200, "officer": 403, "officer2": 404}),
    ("collisions:releases", "report_b_mine", "get", None, {"twoorg": 403}),
    ("collisions:access_log", "report_b_mine", "get", None, {"twoorg": 403}),
    ("collisions:access_log", "report_a", "get", None, {"twoorg": 200, "officer": 403}),
    ("collisions:report_action", "report_b_mine", "post", {}, {"twoorg": 403, "officer": 404}),
    ("collisions:report_action", "report_a", "post", {}, {"officer": 403, "officer2": 404, "twoorg": 403}),
]


@pytest.mark.parametrize("row", ROWS, ids=[f"{r[0]}-{r[1]}" for r in ROWS])
def test_own_records_and_two_organizations(world, records, row):
    name, key, method, data, answers = row
    args = {"pk": records[key].pk}
    if name.endswith("report_action"):
        args["action"] = "claim"
    if name == "courts:ticket_action":
        args["action"] = "refer"
    url = reverse(name, kwargs=args)
    case = Case(method=method, data=data)
    problems = []
    for persona, expected in answers.items():
        problem = _mismatch(expected, _answer(world, case, url, persona))
        if problem:
            problems.append(f"{persona:>9} {method.upper()} {url}: {problem}")
    assert not problems, "\n".join(problems)


def test_ticket_links_to_the_officers_person_record_at_ingest(world, records):
    assert records["ticket_a"].officer.user == world.users["officer"]
    assert records["ticket_b_mine"].officer.user == world.users["twoorg"]
    assert records["ticket_b_other"].officer is None


def test_an_officer_lists_only_their_own_tickets_with_no_other_defendant(world, records):
    other = make_ticket(
        world,
        officer={"name": "Lee Other", "personnel_number": "2200"},
        defendant={**_defendant(), "last_name": "ZZOTHERDEF"},
    )
    html = world.client_for("officer").get(reverse("citations:ticket_list")).content.decode()
    assert records["ticket_a"].ticket_number in html and other.ticket_number not in html and "ZZOTHERDEF" not in html
    html2 = world.client_for("officer2").get(reverse("citations:ticket_list")).content.decode()
    assert other.ticket_number in html2 and records["ticket_a"].ticket_number not in html2


def test_the_two_organization_user_lists_agency_a_and_only_their_own_at_b(world, records):
    visible = set(Ticket.objects.restrict(world.users["twoorg"]).values_list("pk", flat=True))
    assert {records["ticket_a"].pk, records["ticket_b_mine"].pk} <= visible
    assert records["ticket_b_other"].pk not in visible
    reports = set(CollisionReport.objects.restrict(world.users["twoorg"]).values_list("pk", flat=True))
    assert records["report_b_mine"].pk in reports and records["report_b_other"].pk not in reports


def test_the_two_organization_user_cannot_record_number_blocks_for_agency_b(world, records):
    from citations.services import NumberBlockError, number_blocks_import

    with pytest.raises(NumberBlockError):
        number_blocks_import(agency=world.agency_b, rows=[("5A", 1, 10, 7, "")], actor=world.users["twoorg"])
    assert not NumberBlock.objects.filter(agency=world.agency_b).exists()
    client = world.client_for("twoorg")
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("blocks.csv", b"5A0000001,5A0000010\n", content_type="text/csv")
    response = client.post(reverse("citations:number_blocks"), {"agency": world.agency_b.pk, "file": upload})
    assert response.status_code == 200 and not NumberBlock.objects.filter(agency=world.agency_b).exists()


def test_officers_see_no_agency_wide_collision_figures(world, records):
    from collisions.services import report_return

    returned = make_report(officer={"name": "Lee Other", "personnel_number": "2200"})
    make_report(officer={"name": "Lee Other", "personnel_number": "2200"})
    report_return(actor=world.users["reviewer"], report_id=returned.pk, notes={"general": "x"})
    client = world.client_for("officer")
    html = client.get(reverse("home")).content.decode()
    assert "of your report" in html and "returned to officers" not in html
    dash = client.get(reverse("collisions:dashboard"))
    # Their one waiting report, not the agency's two, and none of the other officer's returns by section.
    assert dash.status_code == 200 and dash.context["dash"]["queue"] == 1 and not dash.context["dash"]["by_section"]
    lasa = world.client_for("lasa").get(reverse("collisions:dashboard")).context["dash"]
    assert lasa["queue"] == 2 and lasa["by_section"]


def test_backfill_links_stored_tickets_to_their_officer(world):
    import importlib

    from django.apps import apps

    from sector.orgs.models import Person

    t = make_ticket(world)
    assert t.officer is None
    Person.objects.create(first_name="J", last_name="Park", personnel_number="1123", agency=world.agency_a)
    importlib.import_module("citations.migrations.0008_backfill_ticket_officer").backfill(apps, None)
    t.refresh_from_db()
    assert t.officer.personnel_number == "1123" and t.officer.agency == world.agency_a


def test_a_reviewer_of_agency_a_who_is_an_officer_at_b_claims_only_at_a(world, records):
    from django.contrib.auth.models import Group

    from collisions.services import available_actions, claim_next
    from sector.accounts.models import Membership
    from sector.orgs.models import Person
    from tests.factories import make_user

    both = make_user("rev_both", "collision_reviewer", agency=world.agency_a)
    Membership.objects.create(user=both, agency=world.agency_b).roles.add(Group.objects.get(name="officer"))
    Person.objects.create(first_name="R", last_name="Both", personnel_number="8800", agency=world.agency_b, user=both)
    mine_at_b = make_report(agency_ori=B_ORI, officer={"name": "R Both", "personnel_number": "8800"})
    assert available_actions(actor=both, report=records["report_a"]) >= {"claim"}
    assert available_actions(actor=both, report=mine_at_b) == set()
    assert claim_next(actor=both, agency_id=world.agency_b.pk) is None
    client = world.client_for("anonymous")
    client.force_login(both)
    queue_b = client.get(reverse("collisions:review_queue") + f"?agency={world.agency_b.pk}").content.decode()
    assert mine_at_b.report_number in queue_b and records["report_b_other"].report_number not in queue_b
    assert "Claim next report" not in queue_b
    queue_a = client.get(reverse("collisions:review_queue") + f"?agency={world.agency_a.pk}").content.decode()
    assert "Claim next report" in queue_a
