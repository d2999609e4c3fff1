"""Collision screens: queue (keyset, fixed queries), detail and access log, actions, PDFs, releases, officer side."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from collisions.choices import ReportStatus
from collisions.models import AccessLog, CollisionReport
from collisions.services import report_return
from sector.orgs.models import Person
from tests.collisions.factories import collision, diagram, make_destination, make_release, make_report, store

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_queue_lists_the_agency_reports_with_the_columns(world):
    rec = collision(narrative="Rear-ended.")
    rec["persons"][0]["unit_number"] = 9
    store([rec])
    make_report(agency_ori="WA0320400")  # agency B: not in A's queue
    response = world.client_for("reviewer").get(reverse("collisions:review_queue"))
    assert response.status_code == 200
    html = response.content.decode()
    assert rec["report_number"] in html and "Capitol Blvd SE" in html and "suspected minor injury" in html
    assert html.count("<tr>") == 2  # header + one report
    assert "Claim next report" in html


@pytest.mark.parametrize("size", [25, 100])
def test_queue_query_count_is_fixed_whatever_the_size(world, size, django_assert_max_num_queries):
    store([collision() for _ in range(30)])
    client = world.client_for("reviewer")
    client.get(reverse("collisions:review_queue"))  # warm the session
    url = reverse("collisions:review_queue") + f"?agency={world.agency_a.pk}&size={size}"
    with django_assert_max_num_queries(14) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    few = len(ctx.captured_queries)
    store([collision() for _ in range(120)])
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.content.decode().count('rel="next"') == 1


def test_queue_keyset_pages_reach_every_report_once(world):
    recs = [collision() for _ in range(60)]
    store(recs)
    client = world.client_for("reviewer")
    base = reverse("collisions:review_queue")
    url = base + f"?agency={world.agency_a.pk}&size=25"
    seen = []
    while url:
        html = client.get(url).content.decode()
        seen += re.findall(r">(E2026-\d+)</a>", html)
        nxt = re.search(r'rel="next" href="([^"]+)"', html)
        url = base + nxt.group(1).replace("&amp;", "&") if nxt else None
    assert sorted(seen) == sorted(r["report_number"] for r in recs)


def test_every_view_is_logged_and_lasa_and_wsp_see_the_log(world):
    report = make_report()
    world.client_for("reviewer").get(reverse("collisions:report_detail", args=[report.pk]))
    world.client_for("wsp").get(reverse("collisions:report_pdf", args=[report.pk]))
    assert list(AccessLog.objects.filter(report=report).order_by("id").values_list("kind", flat=True)) == [
        "view",
        "pdf",
    ]
    for persona in ("lasa", "wsp"):
        html = world.client_for(persona).get(reverse("collisions:access_log", args=[report.pk])).content.decode()
        assert "Downloaded the report PDF" in html and "reviewer" in html
    assert world.client_for("reviewer").get(reverse("collisions:access_log", args=[report.pk])).status_code == 403


def test_claim_approve_and_return_through_the_screens(world, tmp_path):
    make_destination("DOT", kind="folder", folder=str(tmp_path), url="")
    a, b = make_report(), make_report()
    client = world.client_for("reviewer")
    response = client.post(reverse("collisions:claim_next"), {"agency": world.agency_a.pk})
    assert response["Location"] == reverse("collisions:report_detail", args=[a.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Release claim" in page and "Approve version 1" in page
    url = reverse("collisions:report_action", args=[a.pk, "approve"])
    asked = client.post(url, {"version": "1"})
    assert asked.status_code == 200  # the confirmation step first: nothing sent yet
    html = asked.content.decode()
    assert "Approve report" in html and "DOT exchange" in html and 'name="confirmed" value="1"' in html
    a.refresh_from_db()
    assert a.status == ReportStatus.PENDING
    response = client.post(url, {"version": "1", "confirmed": "1"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == ReportStatus.APPROVED
    response = client.post(
        reverse("collisions:report_action", args=[b.pk, "return"]),
        {"version": "1", "note_narrative": "Add the signal phase.", "note_location": ""},
    )
    b.refresh_from_db()
    assert b.status == ReportStatus.RETURNED


def test_a_refused_action_says_why_and_changes_nothing(world):
    rec = collision()
    rec["reported_at"] = "2020-01-01T00:00:00Z"  # before occurred_at: an error
    store([rec])
    report = CollisionReport.objects.get(report_number=rec["report_number"])
    client = world.client_for("reviewer")
    response = client.post(reverse("collisions:report_action", args=[report.pk, "approve"]), follow=True)
    assert "Not done" in response.content.decode() and "error" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING
    assert client.get(reverse("collisions:report_action", args=[report.pk, "approve"])).status_code == 405
    assert client.post(reverse("collisions:report_action", args=[report.pk, "explode"])).status_code == 404


def test_a_resubmission_shows_what_changed(world):
    rec = collision()
    store([rec])
    report = CollisionReport.objects.get(report_number=rec["report_number"])
    report_return(actor=world.users["reviewer"], report_id=report.pk, notes={"general": "Weather wrong."})
    store([{**rec, "version": 2, "weather": "rain", "diagram": diagram()}])
    html = world.client_for("reviewer").get(reverse("collisions:report_detail", args=[report.pk])).content.decode()
    assert "Changed since the returned version 1" in html
    assert "<td>Weather</td><td>Clear</td><td>Rain</td>" in html and "(new image)" in html
    queue = world.client_for("reviewer").get(reverse("collisions:review_queue")).content.decode()
    assert "Resubmitted" in queue


def test_report_pdf_has_the_report_and_its_diagram(world):
    report = make_report(diagram=diagram())
    response = world.client_for("reviewer").get(reverse("collisions:report_pdf", args=[report.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = pdf_text(response.content)
    assert report.report_number in text and "DOE" in text and "CONFIDENTIAL" in text
    assert sum(len(page.images) for page in reader.pages) == 1


def test_release_pdf_removes_other_parties_details(world):
    report = make_report(diagram=diagram())
    client = world.client_for("lasa")
    response = client.post(
        reverse("collisions:releases", args=[report.pk]),
        {"party_name": "Richard Roe", "relation": "driver", "person_position": "1", "what": "Redacted report",
         "released_on": "2026-01-05", "confirmed": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    release = report.releases.get()
    assert release.party_name == "Richard Roe" and release.person_position == 1
    text = pdf_text(client.get(reverse("collisions:release_pdf", args=[report.pk, release.pk])).content)
    assert "ROE" in text and "9 Elm St" in text  # the party's own details stay
    assert "DOE" not in text and "1 Main St" not in text and "ABC1234" not in text and "1HGCM82633A004352" not in text
    assert "[redacted]" in text
    assert AccessLog.objects.filter(report=report, kind="release_pdf").count() == 1


def test_release_form_refuses_a_future_date(world):
    report = make_report()
    response = world.client_for("lasa").post(
        reverse("collisions:releases", args=[report.pk]),
        {"party_name": "X", "relation": "insurer", "what": "copy", "released_on": "2999-01-01"},
    )
    assert response.status_code == 200 and "cannot be in the future" in response.content.decode()
    assert not report.releases.exists()


def test_an_officer_sees_their_own_returned_report_with_the_notes(world):
    Person.objects.create(
        first_name="J", last_name="Park", personnel_number="1123", agency=world.agency_a, user=world.users["officer"]
    )
    mine = make_report()
    other = make_report(officer={"name": "Ofc. Other", "personnel_number": "9999"})
    report_return(actor=world.users["reviewer"], report_id=mine.pk, notes={"units": "Plate of unit 2 missing."})
    client = world.client_for("officer")
    html = client.get(reverse("collisions:review_queue") + "?status=returned").content.decode()
    assert mine.report_number in html and other.report_number not in html
    detail = client.get(reverse("collisions:report_detail", args=[mine.pk])).content.decode()
    assert "Plate of unit 2 missing." in detail and "Return to the officer" not in detail
    assert client.get(reverse("collisions:report_detail", args=[other.pk])).status_code == 404


def test_lasa_sees_every_status_of_the_agency(world):
    a, b = make_report(), make_report()
    report_return(actor=world.users["reviewer"], report_id=b.pk, notes={"general": "x"})
    html = world.client_for("lasa").get(reverse("collisions:review_queue") + "?status=all").content.decode()
    assert a.report_number in html and b.report_number in html and "Returned to the officer" in html
    assert "Claim next report" not in html


def test_dashboard(world):
    make_report()
    b = make_report()
    report_return(actor=world.users["reviewer"], report_id=b.pk, notes={"narrative": "x"})
    html = world.client_for("lasa").get(reverse("collisions:dashboard")).content.decode()
    assert "Awaiting review" in html and "Narrative" in html and 'id="review-data"' in html


def test_release_pdf_of_another_report_is_404(world):
    rel = make_release(world)
    other = make_report()
    url = reverse("collisions:release_pdf", args=[other.pk, rel.pk])
    assert world.client_for("lasa").get(url).status_code == 404


def test_a_reviewer_of_another_agency_posting_an_action_gets_404(world):
    from tests.factories import make_user

    make_user("rev_b", "collision_reviewer", agency=world.agency_b)
    from django.test import Client

    client = Client()
    client.force_login(make_user("rev_b"))
    report = make_report()
    for action in ("claim", "approve", "return", "release"):
        assert (
            client.post(
                reverse("collisions:report_action", args=[report.pk, action]), {"note_general": "x"}
            ).status_code
            == 404
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING and report.claimed_by is None


def test_wsp_dashboard_shows_delivery_status_per_destination(world, tmp_path):
    make_destination("DOT", kind="folder", folder=str(tmp_path), url="")
    html = world.client_for("wsp").get(reverse("collisions:dashboard")).content.decode()
    assert "Delivery status per destination" in html and "DOT exchange" in html
    assert (
        "Delivery status per destination"
        not in world.client_for("lasa").get(reverse("collisions:dashboard")).content.decode()
    )


def test_home_panel_for_reviewer_and_officer(world):
    Person.objects.create(
        first_name="J", last_name="Park", personnel_number="1123", agency=world.agency_a, user=world.users["officer"]
    )
    a = make_report()
    make_report(officer={"name": "Ofc. Other", "personnel_number": "9999"})
    report_return(actor=world.users["reviewer"], report_id=a.pk, notes={"general": "x"})
    html = world.client_for("reviewer").get("/").content.decode()
    assert "1 report awaiting review" in html and "1 returned to officers" in html
    html = world.client_for("officer").get("/").content.decode()
    assert "1 of your report returned for correction" in html and "0 of your reports awaiting review" in html
    assert "Collision reports</h3>" not in world.client_for("clerk").get("/").content.decode()
