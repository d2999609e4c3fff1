"""The support pages as users meet them: raising with attachments, bad input, scope, escaping, queue, exports."""

import csv
import io

import pytest
from django.urls import reverse

from sector.support import services
from sector.support.choices import ATTACHMENT_MAX_BYTES
from sector.support.forms import check_attachment
from sector.support.models import Attachment, Category, Priority, SupportRequest
from tests.support.helpers import PDF, PNG, raise_request, upload

pytestmark = pytest.mark.django_db
NOTE = "INTERNAL: their chief refused the upgrade"


def _form(**extra):
    data = {
        "organisation": "agency:WA0340100",
        "category": Category.objects.get(name="Printing").pk,
        "priority": Priority.objects.get(name="Normal").pk,
        "subject": "Printer cuts the barcode",
        "description": "Every citation from car 12.",
    }
    data.update(extra)
    return data


def test_a_lasa_raises_a_request_with_attachments(world):
    client = world.client_for("lasa")
    page = client.get(reverse("support:request_create"))
    assert page.status_code == 200
    response = client.post(
        reverse("support:request_create"),
        _form(attachments=[upload("screen.png", PNG), upload("report.pdf", PDF), upload("client.log", b"ERR 42\r\n")]),
    )
    sr = SupportRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == sr.get_absolute_url()
    assert sr.agency == world.agency_a and sr.requester == world.users["lasa"]
    stored = {a.original_name: a.content_type for a in sr.attachments.all()}
    assert stored == {"screen.png": "image/png", "report.pdf": "application/pdf", "client.log": "text/plain"}
    png = sr.attachments.get(original_name="screen.png")
    download = client.get(reverse("support:attachment_download", args=[png.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("big.log", b"x" * (ATTACHMENT_MAX_BYTES + 1), "attachments may be up to"),
        ("photo.png", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64, "does not contain what"),
        ("photo.png", PDF, "does not contain what"),
        ("notes.txt", b"hello\x00\x01\x02binary", "does not contain what"),
        ("scan.pdf", PNG, "does not contain what"),
        ("broken.png", PNG[:40], "does not contain what"),
        ("setup.exe", b"MZ\x90\x00", "not an accepted type"),
        ("page.html", b"<script>alert(1)</script>", "not an accepted type"),
        ("empty.txt", b"", "empty"),
    ],
)
def test_oversized_disguised_or_unknown_files_are_refused_and_nothing_is_lost(world, name, content, message):
    response = world.client_for("lasa").post(
        reverse("support:request_create"), _form(attachments=[upload(name, content)])
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SupportRequest.objects.exists() and not Attachment.objects.exists()
    # what the user typed is still in the form
    assert "Printer cuts the barcode" in response.content.decode()


def test_too_many_files_at_once_are_refused(world):
    files = [upload(f"log{i}.txt", b"line\n") for i in range(6)]
    response = world.client_for("lasa").post(reverse("support:request_create"), _form(attachments=files))
    assert response.status_code == 400 and "at most 5 files" in response.content.decode()


def test_a_request_for_another_organisation_is_refused(world):
    response = world.client_for("lasa").post(reverse("support:request_create"), _form(organisation="agency:WA0320400"))
    assert response.status_code == 400
    assert not SupportRequest.objects.exists()


def test_a_clerk_raises_for_their_court(world):
    client = world.client_for("clerk")
    response = client.post(reverse("support:request_create"), _form(organisation="court:D34"))
    assert response.status_code == 302
    assert SupportRequest.objects.get().court == world.court_a


def test_html_is_escaped_everywhere(world):
    sr = raise_request(world, subject="<script>alert('s')</script>", description="<img src=x onerror=alert(1)>")
    services.request_reply(support_request=sr, actor=world.users["wsp"], body="<b>bold</b>")
    for persona in ("lasa", "wsp"):
        client = world.client_for(persona)
        for url in (
            reverse("support:request_list"),
            sr.get_absolute_url(),
            reverse("orgs:agency_detail", args=["WA0340100"]),
        ):
            html = client.get(url).content.decode()
            assert "<script>alert(" not in html and "<img src=x" not in html and "<b>bold</b>" not in html
            assert "&lt;script&gt;" in html


def test_internal_notes_show_to_wsp_only(world):
    sr = raise_request(world)
    services.request_reply(support_request=sr, actor=world.users["wsp"], body=NOTE, internal=True)
    services.request_reply(support_request=sr, actor=world.users["wsp"], body="We are on it.")
    for persona in ("lasa", "officer", "waspc"):
        html = world.client_for(persona).get(sr.get_absolute_url()).content.decode()
        assert "We are on it." in html
        assert NOTE not in html and "Internal note" not in html
    html = world.client_for("wsp").get(sr.get_absolute_url()).content.decode()
    assert NOTE in html


def test_a_requester_reply_through_the_page_reopens_a_waiting_request(world):
    sr = raise_request(world)
    services.request_reply(support_request=sr, actor=world.users["wsp"], body="Which car?", status="waiting")
    response = world.client_for("lasa").post(
        reverse("support:request_reply", args=[sr.pk]), {"body": "Car 12.", "attachments": [upload("c.txt", b"ok")]}
    )
    assert response.status_code == 302
    sr.refresh_from_db()
    assert sr.status == "in_progress"
    assert sr.attachments.get().message.body == "Car 12."


def test_an_empty_reply_is_refused_with_a_message(world):
    sr = raise_request(world)
    response = world.client_for("lasa").post(reverse("support:request_reply", args=[sr.pk]), {"body": "   "})
    assert response.status_code == 400
    assert "Write a message." in response.content.decode()
    assert not sr.messages.exists()


def test_an_impossible_move_through_the_page_is_explained(world):
    sr = raise_request(world)
    client = world.client_for("wsp")
    response = client.post(reverse("support:request_status", args=[sr.pk]), {"status": "closed"}, follow=True)
    assert "cannot become closed" in response.content.decode()
    response = client.post(reverse("support:request_status", args=[sr.pk]), {"status": "bogus"}, follow=True)
    assert "Choose one of the status buttons" in response.content.decode()
    sr.refresh_from_db()
    assert sr.status == "new"


def test_wsp_triages_through_the_page(world):
    sr = raise_request(world)
    response = world.client_for("wsp").post(
        reverse("support:request_triage", args=[sr.pk]),
        {
            "assignee": world.users["wsp"].pk,
            "priority": Priority.objects.get(name="Urgent").pk,
            "category": sr.category_id,
        },
    )
    assert response.status_code == 302
    sr.refresh_from_db()
    assert sr.assignee == world.users["wsp"] and sr.priority.name == "Urgent"
    bad = world.client_for("wsp").post(reverse("support:request_triage", args=[sr.pk]), {"priority": "x"})
    assert bad.status_code == 400


def test_the_requester_list_shows_only_their_organisation(world):
    mine = raise_request(world, subject="Ours")
    raise_request(world, "lasa2", agency=world.agency_b, subject="Spokane's")
    raise_request(world, "clerk", court=world.court_a, subject="The court's")
    html = world.client_for("lasa").get(reverse("support:request_list")).content.decode()
    assert mine.reference in html and "Spokane&#x27;s" not in html and "The court&#x27;s" not in html
    html = world.client_for("clerk").get(reverse("support:request_list")).content.decode()
    assert "The court&#x27;s" in html and "Ours" not in html
    html = world.client_for("wsp").get(reverse("support:request_list")).content.decode()
    assert all(s in html for s in ("Ours", "Spokane&#x27;s", "The court&#x27;s"))
    # WASPC reads statewide with the queue's filters, but has no dashboard, export or raise button
    html = world.client_for("waspc").get(reverse("support:request_list")).content.decode()
    assert all(s in html for s in ("Ours", "Spokane&#x27;s", "The court&#x27;s")) and 'name="agency"' in html
    assert reverse("support:dashboard") not in html and reverse("support:request_export") not in html
    assert 'name="agency"' not in world.client_for("lasa").get(reverse("support:request_list")).content.decode()


def test_queue_filters_and_search(world):
    urgent = raise_request(world, priority="Urgent", subject="Nothing transmits")
    other = raise_request(world, "lasa2", agency=world.agency_b, subject="Phone number", category="Other")
    services.request_move(support_request=other, actor=world.users["wsp"], status="resolved")
    client = world.client_for("wsp")

    def refs(**params):
        params.setdefault("status", "")  # "Any status" (the queue itself opens on open requests)
        html = client.get(reverse("support:request_list"), params).content.decode()
        return {sr.reference for sr in (urgent, other) if sr.reference in html}

    assert refs(status="open") == {urgent.reference}
    assert refs(status="resolved") == {other.reference}
    assert refs(priority=Priority.objects.get(name="Urgent").pk) == {urgent.reference}
    assert refs(category=Category.objects.get(name="Other").pk) == {other.reference}
    assert refs(agency="WA0320400") == {other.reference}
    assert refs(q=urgent.reference) == {urgent.reference}
    assert refs(q=str(other.pk)) == {other.reference}
    assert refs(q="transmits") == {urgent.reference}
    assert refs(assignee="wsp") == set()
    # bad values are form errors, never a 500
    assert (
        client.get(
            reverse("support:request_list"), {"status": "nope", "priority": "x", "breached": "maybe"}
        ).status_code
        == 200
    )


def test_breached_filter(world):
    from tests.support.helpers import pacific

    late = raise_request(world, priority="Urgent", created_at=pacific(2026, 1, 5, 9, 0))
    fresh = raise_request(world, priority="Low")
    client = world.client_for("wsp")
    html = client.get(reverse("support:request_list"), {"breached": "true"}).content.decode()
    assert late.reference in html and fresh.reference not in html
    html = client.get(reverse("support:request_list"), {"breached": "false"}).content.decode()
    assert fresh.reference in html and late.reference not in html


@pytest.mark.parametrize("persona", ["wsp", "lasa"])
def test_the_list_costs_the_same_queries_at_any_size(world, persona, django_assert_max_num_queries):
    client = world.client_for(persona)
    url = reverse("support:request_list")
    client.get(url)  # warm the session
    raise_request(world)
    with django_assert_max_num_queries(16) as small:
        assert client.get(url).status_code == 200
    for i in range(60):
        sr = raise_request(world, subject=f"Request {i}")
        if i % 3 == 0:
            services.request_reply(support_request=sr, actor=world.users["wsp"], body="On it")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200 and "Next page" in response.content.decode()


def test_keyset_pages_and_a_tampered_cursor(world):
    made = [raise_request(world, subject=f"Item {i}") for i in range(55)]
    client = world.client_for("wsp")
    first = client.get(reverse("support:request_list"))
    cursor = first.context["page"].next_cursor
    second = client.get(reverse("support:request_list"), {"cursor": cursor})
    seen = {r.sr.pk for r in first.context["rows"]} | {r.sr.pk for r in second.context["rows"]}
    assert seen == {sr.pk for sr in made}
    tampered = client.get(reverse("support:request_list"), {"cursor": cursor[:-3] + "abc"})
    assert tampered.status_code == 200 and tampered.context["page"].is_first


def test_exports_escape_formulas_and_carry_no_conversation(world):
    sr = raise_request(world, subject='=HYPERLINK("http://evil","x")', description="+1 555 0100")
    services.request_reply(support_request=sr, actor=world.users["wsp"], body=NOTE, internal=True)
    services.request_reply(support_request=sr, actor=world.users["wsp"], body="Public answer")
    client = world.client_for("wsp")
    response = client.get(reverse("support:request_export"), {"format": "csv", "status": "open"})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Reference" and rows[1][0] == sr.reference
    assert rows[1][7] == '\'=HYPERLINK("http://evil","x")' and rows[1][8] == "'+1 555 0100"
    assert NOTE not in text and "Public answer" not in text

    from openpyxl import load_workbook

    response = client.get(reverse("support:request_export"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][7] == '\'=HYPERLINK("http://evil","x")'
    assert all(NOTE not in str(v) for row in values for v in row)


def test_the_dashboard_renders_its_figures_for_a_chart_without_inline_script(world):
    raise_request(world, priority="Urgent")
    answered = raise_request(world)
    services.request_reply(support_request=answered, actor=world.users["wsp"], body="Hi")
    response = world.client_for("wsp").get(reverse("support:dashboard"))
    html = response.content.decode()
    d = response.context["d"]
    assert d["open_total"] == 2 and d["answered_count"] == 1
    assert sum(d["chart"]["counts"]) == 2 and len(d["chart"]["labels"]) == 12
    assert 'id="requests-per-week-data" type="application/json"' in html
    assert "<script>" not in html  # every script is an external file (strict CSP)


def test_the_agency_page_shows_its_support_history_to_those_who_may_see_it(world):
    sr = raise_request(world, subject="Scanner in car 7")
    url = reverse("orgs:agency_detail", args=["WA0340100"])
    for persona in ("lasa", "officer", "wsp", "waspc"):
        html = world.client_for(persona).get(url).content.decode()
        assert "Support history" in html and sr.reference in html, persona
        assert "1 open · 0 resolved or closed · 1 in all" in html
    html = world.client_for("reviewer").get(url).content.decode()
    assert "Support history" not in html


def test_the_contacts_page_links_to_raising_a_request(world):
    create = reverse("support:request_create")
    assert create in world.client_for("lasa").get(reverse("orgs:contacts")).content.decode()
    assert create in world.client_for("clerk").get(reverse("orgs:contacts")).content.decode()
    assert create not in world.client_for("reviewer").get(reverse("orgs:contacts")).content.decode()


def test_home_panels(world):
    sr = raise_request(world, subject="Home panel request")
    html = world.client_for("lasa").get(reverse("home")).content.decode()
    assert "Support requests" in html and sr.reference in html
    html = world.client_for("wsp").get(reverse("home")).content.decode()
    assert "Support queue" in html and "new, waiting for triage" in html
    assert "support-panel-heading" not in world.client_for("reviewer").get(reverse("home")).content.decode()


def test_a_missing_attachment_file_is_a_404_not_a_500(world):
    sr = raise_request(world, files=[upload("a.txt", b"hello")])
    att = sr.attachments.get()
    att.file.delete(save=False)
    assert world.client_for("lasa").get(reverse("support:attachment_download", args=[att.pk])).status_code == 404


def test_a_double_submitted_request_or_reply_is_recorded_once(world):
    client = world.client_for("lasa")
    first = client.post(reverse("support:request_create"), _form(attachments=[upload("a.log", b"line\n")]))
    second = client.post(reverse("support:request_create"), _form(attachments=[upload("a.log", b"line\n")]))
    sr = SupportRequest.objects.get()
    assert first["Location"] == second["Location"] == sr.get_absolute_url()
    assert sr.attachments.count() == 1
    for _ in range(2):
        assert client.post(reverse("support:request_reply", args=[sr.pk]), {"body": "Any news?"}).status_code == 302
    assert sr.messages.count() == 1
    # a different request or a different message is not a duplicate
    client.post(reverse("support:request_create"), _form(subject="Another printer"))
    client.post(reverse("support:request_reply", args=[sr.pk]), {"body": "Any news now?"})
    assert SupportRequest.objects.count() == 2 and sr.messages.count() == 2


@pytest.mark.parametrize("persona", ["wsp", "lasa"])
def test_the_request_page_costs_the_same_queries_however_long_the_thread(world, persona, django_assert_max_num_queries):
    sr = raise_request(world, files=[upload("first.log", b"boot\n")])
    client = world.client_for(persona)
    client.get(sr.get_absolute_url())  # warm the session

    def add_messages(n):
        for i in range(n):
            services.request_reply(
                support_request=sr,
                actor=world.users["wsp"],
                body=f"Answer {i} {n}",
                files=[check_attachment(upload(f"{i}.txt", b"x"))],
            )
            services.request_reply(support_request=sr, actor=world.users["wsp"], body=f"Note {i} {n}", internal=True)
            services.request_reply(support_request=sr, actor=world.users["lasa"], body=f"Reply {i} {n}")

    add_messages(1)
    with django_assert_max_num_queries(30) as small:
        assert client.get(sr.get_absolute_url()).status_code == 200
    add_messages(15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(sr.get_absolute_url()).status_code == 200
