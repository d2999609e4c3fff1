"""Agency side: number-block import and the accountability report; feed screens for WSP; simulate_feed."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook

from citations.models import NumberBlock, Ticket, TicketVersion
from citations.selectors import block_report
from courts.services import ticket_confirm_void, ticket_mark_duplicate
from sector.feed.models import FeedCredential, FeedException, hash_token
from tests.feed.factories import make_ticket, store_tickets, ticket


def test_number_blocks_import_from_csv_and_report(world):
    c = world.client_for("lasa")
    upload = SimpleUploadedFile("blocks.csv", b"first,last,note\n5A0000100,5A0000109,Ofc. Park book 1\n", "text/csv")
    r = c.post("/tickets/numbers/", {"agency": world.agency_a.pk, "file": upload})
    assert r.status_code == 302, r.content[:500]
    block = NumberBlock.objects.get()
    assert (block.prefix, block.first, block.last, block.width) == ("5A", 100, 109, 7)
    make_ticket(ticket_number="5A0000100")
    voided = make_ticket(ticket_number="5A0000101")
    raw = TicketVersion.objects.get(ticket=voided).raw
    store_tickets([{**raw, "version": 2, "void": True, "void_reason": "Spoiled"}])
    ticket_confirm_void(ticket=Ticket.objects.get(pk=voided.pk), actor=world.users["clerk"])
    original, copy = make_ticket(ticket_number="5A0000102"), make_ticket(ticket_number="5A0000103")
    ticket_mark_duplicate(ticket=copy, actor=world.users["clerk"], original=original)
    make_ticket(ticket_number="5A0000104", agency_ori=world.agency_b.ori)  # another agency used our number
    make_ticket(ticket_number="5A0000104")
    report = block_report(block)
    assert report["received"] == 5 and report["voided"] == 1 and report["unseen_count"] == 5
    assert report["unseen_sample"][0] == "5A0000105"
    assert set(report["duplicates"]) == {"5A0000103", "5A0000104"}
    body = c.get("/tickets/numbers/").content.decode()
    assert "5A0000100–5A0000109" in body


def test_number_blocks_import_from_xlsx_and_bad_files(world):
    wb = Workbook()
    wb.active.append(["first", "last"])
    wb.active.append(["7W0000001", "7W0000050"])
    buf = BytesIO()
    wb.save(buf)
    c = world.client_for("lasa")
    xlsx = SimpleUploadedFile("b.xlsx", buf.getvalue())
    assert c.post("/tickets/numbers/", {"agency": world.agency_a.pk, "file": xlsx}).status_code == 302
    assert NumberBlock.objects.get().size == 50
    for name, content in [
        ("x.csv", b"5A1,4A9\n"),
        ("x.csv", b"\xff\xfe"),
        ("x.xlsx", b"not a workbook"),
        ("x.csv", b"9,1\n"),
    ]:
        r = c.post("/tickets/numbers/", {"agency": world.agency_a.pk, "file": SimpleUploadedFile(name, content)})
        assert r.status_code == 200 and "is-invalid" in r.content.decode()
    # Another agency's LASA cannot import into agency A.
    r = world.client_for("lasa2").post(
        "/tickets/numbers/", {"agency": world.agency_a.pk, "file": SimpleUploadedFile("b.csv", b"1,2\n")}
    )
    assert r.status_code == 200 and NumberBlock.objects.count() == 1


def test_wsp_issues_and_revokes_a_token_in_the_portal(world):
    c = world.client_for("wsp")
    r = c.post(
        "/feed/credentials/", {"system": "TRACS", "record_types": ["ticket"], "agency_scope": "all", "agencies": ""}
    )
    token = r.context["token"]
    assert token.startswith("sfd_") and token in r.content.decode() and "no-store" in r["Cache-Control"]
    cred = FeedCredential.objects.get(system="TRACS")
    assert cred.token_hash == hash_token(token)
    assert token not in c.get("/feed/credentials/").content.decode()
    c.post(f"/feed/credentials/{cred.pk}/revoke/")
    cred.refresh_from_db()
    assert cred.revoked_at is not None


def test_bulk_reprocess_from_the_exceptions_list(world):
    from tests.factories import CourtFactory

    store_tickets([ticket(court_code="M34OLY"), ticket(court_code="M34OLY"), ticket(agency_ori="WA9999999")])
    ids = list(FeedException.objects.values_list("id", flat=True))
    CourtFactory(code="M34OLY")
    r = world.client_for("wsp").post("/feed/exceptions/reprocess/", {"ids": ids}, follow=True)
    assert "2 stored, 1 still rejected" in r.content.decode()
    assert FeedException.objects.filter(status="open").count() == 1


def test_simulate_feed_sends_tickets_through_the_ingest_service(world, settings):
    from tests.factories import CourtFactory

    for code in ("M34OLY", "M34TUM", "D32"):
        CourtFactory(code=code)
    from tests.factories import AgencyFactory

    AgencyFactory(ori="WA0340000")
    AgencyFactory(ori="WA0340300")
    call_command("simulate_feed", "--count", "6", "--batch", "3", "--rate", "100000", "--force")
    assert Ticket.objects.count() == 6
