"""Issue 11 on the collision side: the queue's search, severity filter and match count; "claim next" takes the
first report of the list as shown; approval and releases ask for confirmation; codes reach pages, PDFs and
emails with their labels."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from collisions.choices import ReportStatus
from collisions.deadlines import overdue_before
from collisions.models import CollisionReport
from collisions.reminders import send_overdue_reminders
from collisions.services import claim_next
from tests.collisions.factories import collision, make_destination, make_report, store
from tests.collisions.test_views import pdf_text

pytestmark = pytest.mark.django_db

QUEUE = reverse("collisions:review_queue")


def _numbers(html: str) -> list[str]:
    return re.findall(r">(E2026-\d+)</a>", html)


def _driver(rec, last, first):
    rec["units"][0]["driver"] = {"last_name": last, "first_name": first}
    rec["persons"][0]["person"] = {"last_name": last, "first_name": first}
    return rec


def _queue(world, **params):
    return world.client_for("reviewer").get(QUEUE, {"agency": world.agency_a.pk, **params}).content.decode()


def test_queue_searches_driver_names_in_either_order(world):
    mine, other = _driver(collision(), "MARTINEZ", "ELENA"), _driver(collision(), "NGUYEN", "TAM")
    store([mine, other])
    for typed in ("Elena Martinez", "MARTINEZ, ELENA", "martinez", "Martinez Elena"):
        html = _queue(world, q=typed)
        assert _numbers(html) == [mine["report_number"]], typed
        assert "1 of 1</strong> report matching your search" in html
    assert _numbers(_queue(world, q="Tam Nguyen")) == [other["report_number"]]
    assert _numbers(_queue(world, q="Elena Nguyen")) == []


def test_queue_searches_report_number_agency_case_and_officer(world):
    a = collision(agency_case_number="OPD-26-7781", officer={"name": "Ofc. Dana Whitfield", "personnel_number": "77"})
    b = collision()
    store([a, b])
    assert _numbers(_queue(world, q=a["report_number"].lower())) == [a["report_number"]]
    assert _numbers(_queue(world, q="opd-26-7781")) == [a["report_number"]]
    assert _numbers(_queue(world, q="Whitfield, Dana")) == [a["report_number"]]
    assert _numbers(_queue(world, q="dana whitfield")) == [a["report_number"]]
    # A report stored for the search carries its case number and drivers.
    report = CollisionReport.objects.get(report_number=a["report_number"])
    assert report.agency_case_number == "OPD-26-7781" and "|DOE JANE|" in report.driver_names


def test_queue_filters_by_severity_and_says_how_many_match(world):
    serious = collision()
    serious["persons"][2]["injury"] = "A"
    minor = collision()  # worst injury B
    store([serious, minor, collision()])
    html = _queue(world, severity="A")
    assert _numbers(html) == [serious["report_number"]]
    assert '<option value="A" selected>A — suspected serious injury</option>' in html
    assert "1 of 1</strong> report matching your search" in _queue(world, severity="A")
    assert "3 of 3</strong> reports" in _queue(world)


def test_match_count_is_capped(world, monkeypatch):
    store([collision() for _ in range(5)])
    monkeypatch.setattr("collisions.selectors.COUNT_CAP", 3)
    html = _queue(world)
    assert "5 of more than 3</strong> reports" in html


def test_searching_keeps_the_query_count_fixed(world, django_assert_num_queries):
    store([_driver(collision(), "DOE", "JANE") for _ in range(5)])
    client = world.client_for("reviewer")
    url = QUEUE + f"?agency={world.agency_a.pk}&q=Jane+Doe&severity=B&size=100"
    client.get(url)  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    store([_driver(collision(), "DOE", "JANE") for _ in range(40)])
    with django_assert_num_queries(len(first.captured_queries)):
        html = client.get(url).content.decode()
    assert "45 of 45</strong> reports matching your search" in html


def test_queue_keyset_pages_keep_the_search(world):
    recs = [_driver(collision(), "DOE", "JANE") for _ in range(30)] + [_driver(collision(), "ROE", "ANN")]
    store(recs)
    client = world.client_for("reviewer")
    html = client.get(QUEUE, {"agency": world.agency_a.pk, "q": "Doe, Jane", "size": 25}).content.decode()
    nxt = re.search(r'rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    seen = _numbers(html) + _numbers(client.get(QUEUE + nxt).content.decode())
    assert sorted(seen) == sorted(r["report_number"] for r in recs[:30])


# ----------------------------------------------------------------------------- claim next


def test_claim_next_takes_the_first_report_the_queue_shows(world):
    store([collision() for _ in range(4)])
    first_shown = _numbers(_queue(world))[0]
    client = world.client_for("reviewer")
    response = client.post(reverse("collisions:claim_next"), {"agency": world.agency_a.pk})
    claimed = CollisionReport.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert claimed.report_number == first_shown


def test_claim_next_applies_the_reviewers_search_and_severity(world):
    older_minor = collision()
    serious = collision()
    serious["persons"][2]["injury"] = "A"
    store([older_minor, _driver(serious, "KOWALSKI", "PIOTR")])
    html = _queue(world, severity="A", q="Piotr Kowalski")
    assert '<input type="hidden" name="severity" value="A">' in html
    assert '<input type="hidden" name="q" value="Piotr Kowalski">' in html
    response = world.client_for("reviewer").post(
        reverse("collisions:claim_next"), {"agency": world.agency_a.pk, "severity": "A", "q": "Piotr Kowalski"}
    )
    claimed = CollisionReport.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert claimed.report_number == serious["report_number"]
    # Nothing else matches the filter: the reviewer is told so and stays on the filtered list.
    again = world.client_for("reviewer").post(
        reverse("collisions:claim_next"), {"agency": world.agency_a.pk, "severity": "A", "q": "Piotr Kowalski"}
    )
    assert "severity=A" in again["Location"] and "q=Piotr+Kowalski" in again["Location"]
    older = CollisionReport.objects.get(report_number=older_minor["report_number"])
    assert claim_next(actor=world.users["reviewer"], agency_id=world.agency_a.pk) == older


# ----------------------------------------------------------------------------- confirmations


def test_approval_asks_first_naming_dot_and_dol(world, tmp_path):
    make_destination("DOL", name="DOL collision exchange", kind="folder", folder=str(tmp_path), url="")
    make_destination("DOT", name="WSDOT collision exchange", kind="folder", folder=str(tmp_path), url="")
    report = make_report()
    client = world.client_for("reviewer")
    url = reverse("collisions:report_action", args=[report.pk, "approve"])
    html = client.post(url, {"version": "1"}).content.decode()
    assert f"Approve report {report.report_number} and send it to DOT and DOL?" in html
    assert "is sent to DOL collision exchange and WSDOT collision exchange" in html
    assert 'name="version" value="1"' in html and "Approve and send version 1" in html
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING and not report.approved_by_id
    client.post(url, {"version": "1", "confirmed": "1"})
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED


def test_a_release_asks_first_naming_who_gets_what(world):
    report = make_report()
    client = world.client_for("lasa")
    data = {"party_name": "Richard Roe", "relation": "driver", "person_position": "1", "what": "Redacted report",
            "released_on": "2026-01-05"}  # fmt: skip
    html = client.post(reverse("collisions:releases", args=[report.pk]), data).content.decode()
    assert f"Release report {report.report_number} to Richard Roe?" in html
    assert "Richard Roe (driver involved) receives: Redacted report, released on January 5, 2026." in html
    assert "keeps RICHARD ROE&#x27;s details and removes every other party&#x27;s" in html
    assert not report.releases.exists()
    client.post(reverse("collisions:releases", args=[report.pk]), {**data, "confirmed": "1"})
    assert report.releases.get().party_name == "Richard Roe"


# ----------------------------------------------------------------------------- labels, not codes


def test_report_page_shows_mmucc_and_kabco_labels_not_codes(world):
    rec = collision(weather="freezing_rain", light_condition="dark_lighted", manner_of_collision="angle")
    rec["units"][0]["distraction"] = "hand_held"
    store([rec])
    report = CollisionReport.objects.get(report_number=rec["report_number"])
    html = world.client_for("reviewer").get(reverse("collisions:report_detail", args=[report.pk])).content.decode()
    for label in ("Freezing rain or freezing drizzle", "Dark — lighted", "Angle", "Dry",
                  "Motor vehicle in transport", "Followed too closely", "Talking on a hand-held device",
                  "O — no apparent injury", "C — possible injury", "B — suspected minor injury",
                  "B — suspected minor injury"):  # fmt: skip
        assert label in html, label
    for code in ("freezing_rain", "dark_lighted", "following_too_closely", "motor_vehicle_in_transport", "<td>C</td>"):
        assert code not in html, code
    assert "$3,500.00" in html


def test_an_unknown_mmucc_attribute_is_shown_in_words(world):
    store([collision(first_harmful_event="struck_by_falling_cargo")])
    report = CollisionReport.objects.latest("id")
    html = world.client_for("reviewer").get(reverse("collisions:report_detail", args=[report.pk])).content.decode()
    assert "Struck by falling cargo" in html and "struck_by_falling_cargo" not in html


def test_findings_and_changes_name_fields_in_words(world):
    from collisions.services import report_return

    rec = collision()
    rec["persons"][1]["unit_number"] = 9
    store([rec])
    report = CollisionReport.objects.get(report_number=rec["report_number"])
    report_return(actor=world.users["reviewer"], report_id=report.pk, notes={"general": "Weather wrong."})
    store([{**rec, "version": 2, "weather": "rain"}])
    html = world.client_for("reviewer").get(reverse("collisions:report_detail", args=[report.pk])).content.decode()
    assert "Person 2, unit number" in html and "persons[1]" not in html
    assert "<td>Weather</td><td>Clear</td><td>Rain</td>" in html


def test_pdfs_show_labels(world):
    report = make_report()
    client = world.client_for("reviewer")
    text = pdf_text(client.get(reverse("collisions:report_pdf", args=[report.pk])).content)
    assert "C — possible injury" in text and "Front to rear" in text and "B — suspected minor injury" in text
    assert "front_to_rear" not in text
    lasa = world.client_for("lasa")
    lasa.post(
        reverse("collisions:releases", args=[report.pk]),
        {"party_name": "Acme", "relation": "insurer", "what": "Redacted report", "released_on": "2026-01-05",
         "confirmed": "1"},
    )  # fmt: skip
    release = report.releases.get()
    text = pdf_text(lasa.get(reverse("collisions:release_pdf", args=[report.pk, release.pk])).content)
    assert "C — possible injury" in text and "Front to rear" in text


def test_emails_name_the_severity(world, django_capture_on_commit_callbacks):
    old = make_report()
    # A day past the review target in business days (11 calendar days is not always 10 business days: the
    # week of Thanksgiving has two state holidays).
    CollisionReport.objects.filter(pk=old.pk).update(queued_at=overdue_before(timezone.now()) - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        send_overdue_reminders()
    assert f"{old.report_number} (B — suspected minor injury)" in mail.outbox[0].body
