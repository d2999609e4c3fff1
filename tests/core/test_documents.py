"""Issue 15: every PDF is tagged PDF/UA-1, and a document rendered once for a record version is served from
storage (sector.core.documents), after the view's permission checks, until the record's version changes."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader

from courts import services
from sector.core import documents
from sector.core import pdf as pdf_module
from sector.core.documents import stored_pdf
from sector.core.models import RenderedDocument
from tests.factories import CourtFactory
from tests.feed.factories import make_ticket


@pytest.fixture
def renders(monkeypatch):
    """How many times WeasyPrint lays out a document (sector.core.pdf.layout_html, the one way in)."""
    calls = []
    real = pdf_module.layout_html
    documents._KNOWN.clear()  # the process's memory of stored documents, from earlier tests

    def counting(html):
        calls.append(html)
        return real(html)

    monkeypatch.setattr(pdf_module, "layout_html", counting)
    return calls


@pytest.fixture
def doc_template(tmp_path, settings):
    (tmp_path / "pdfdoc").mkdir()
    (tmp_path / "pdfdoc" / "doc.html").write_text(
        '<!doctype html><html lang="en-US"><head><title>Court {{ court.code }}</title>'
        '<link rel="stylesheet" href="css/pdf.css"></head><body><h1>{{ court.name }}</h1>'
        '<p class="f"><span class="l">Code</span>{{ court.code }}</p></body></html>'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    documents.template_revision.cache_clear()
    documents._KNOWN.clear()
    yield "pdfdoc/doc.html"
    documents.template_revision.cache_clear()
    documents._KNOWN.clear()


def _court_pdf(court, version=("v1",)):
    return stored_pdf("pdfdoc/doc.html", record=court, version=version, context=lambda: {"court": court})


def test_every_pdf_is_tagged_pdf_ua_with_language_and_title(doc_template, db):
    court = CourtFactory(code="D34", name="Thurston County District Court")
    reader = PdfReader(io.BytesIO(pdf_module.render_pdf(doc_template, {"court": court})))
    catalog = reader.trailer["/Root"]
    assert str(catalog["/MarkInfo"]["/Marked"]).lower() == "true"
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en-US"
    assert reader.metadata.title == "Court D34"
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert "pdfuaid" in xmp and 'pdfuaid:part="1"' in xmp.replace("'", '"')
    assert str(catalog["/ViewerPreferences"]["/DisplayDocTitle"]).lower() == "true"


def test_a_template_without_a_language_or_title_still_gets_en_us_and_a_title(tmp_path, settings):
    (tmp_path / "bare.html").write_text("<html><body><p>Hello</p></body></html>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    reader = PdfReader(io.BytesIO(pdf_module.render_pdf("bare.html", {})))
    assert reader.trailer["/Root"]["/Lang"] == "en-US"
    assert reader.metadata.title == pdf_module.DEFAULT_TITLE


def test_the_second_request_is_served_from_storage_and_a_new_version_renders_anew(doc_template, renders, db):
    court = CourtFactory(code="D34", name="Thurston County District Court")
    first = _court_pdf(court)
    assert len(renders) == 1 and first.startswith(b"%PDF-")
    row = RenderedDocument.objects.get()
    assert row.record == f"orgs.court:{court.pk}" and default_storage.exists(row.name) and row.size == len(first)
    assert _court_pdf(court) == first and len(renders) == 1  # from storage: WeasyPrint not called
    court.name = "Thurston County District Court, Olympia"
    second = _court_pdf(court, version=("v2",))
    assert len(renders) == 2 and second != first
    assert "Olympia" in PdfReader(io.BytesIO(second)).pages[0].extract_text()


def test_a_new_version_prunes_the_old_rendering(doc_template, renders, db, django_capture_on_commit_callbacks):
    court = CourtFactory(code="D34")
    _court_pdf(court)
    old = RenderedDocument.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        _court_pdf(court, version=("v2",))
    assert list(RenderedDocument.objects.values_list("version", flat=True)) != [old.version]
    assert RenderedDocument.objects.count() == 1 and not default_storage.exists(old.name)


def test_a_partial_or_altered_stored_file_is_never_served(doc_template, renders, db):
    court = CourtFactory(code="D34")
    good = _court_pdf(court)
    row = RenderedDocument.objects.get()
    default_storage.delete(row.name)
    default_storage.save(row.name, io.BytesIO(good[: len(good) // 2]))  # a partial file under the stored name
    again = _court_pdf(court)
    assert len(renders) == 2 and again.startswith(b"%PDF-") and again.rstrip().endswith(b"%%EOF")
    assert _court_pdf(court) == again and len(renders) == 2  # stored anew, served from storage after that
    default_storage.delete(RenderedDocument.objects.get().name)  # missing altogether: rendered again too
    assert _court_pdf(court).startswith(b"%PDF-") and len(renders) == 3
    documents._KNOWN.clear()  # another process (no memory of it) checks the stored bytes the same way
    row = RenderedDocument.objects.get()
    default_storage.delete(row.name)
    default_storage.save(row.name, io.BytesIO(b"%PDF-1.7 altered"))
    assert _court_pdf(court).rstrip().endswith(b"%%EOF") and len(renders) == 4


def test_two_requests_at_once_render_at_most_twice_and_store_one_copy(doc_template, renders, db):
    """The second request arrives while the first is rendering: both render, the one stored first wins, the
    other serves its own complete copy and leaves no file behind."""
    court = CourtFactory(code="D34")
    inner = {}

    def context():
        if not inner:  # the other request, at the same moment, renders and stores first
            inner["pdf"] = _court_pdf(court)
        return {"court": court}

    outer = stored_pdf("pdfdoc/doc.html", record=court, version=("v1",), context=context)
    assert len(renders) == 2
    assert outer.startswith(b"%PDF-") and inner["pdf"].startswith(b"%PDF-")
    row = RenderedDocument.objects.get()
    key = row.key
    _dirs, files = default_storage.listdir(f"{documents.STORE_FOLDER}/{key[:2]}")
    assert [f for f in files if f.startswith(key)] == [row.name.rsplit("/", 1)[1]]
    assert _court_pdf(court) in (outer, inner["pdf"]) and len(renders) == 2


def test_the_ticket_notice_is_stored_behind_the_same_permission_checks(world, renders):
    ticket = make_ticket()
    url = f"/courts/intake/tickets/{ticket.pk}/notice.pdf"
    clerk = world.client_for("clerk")
    first = clerk.get(url)
    assert first.status_code == 200 and len(renders) == 1
    again = clerk.get(url)
    assert again.status_code == 200 and again.content == first.content and len(renders) == 1
    # Stored, but still nobody else's: another court's clerk, an agency user, an anonymous visitor.
    assert world.client_for("clerk2").get(url).status_code == 404
    assert world.client_for("lasa2").get(url).status_code in (403, 404)
    assert world.client_for("anonymous").get(url).status_code == 302
    assert len(renders) == 1
    # A clerk action (a new status and revision) is a new version: rendered anew, with the case number.
    services.ticket_accept(ticket=ticket, actor=world.users["clerk"], case_number="D34-26-000777")
    accepted = clerk.get(url)
    assert accepted.status_code == 200 and len(renders) == 2
    text = PdfReader(io.BytesIO(accepted.content)).pages[0].extract_text()
    assert "D34-26-000777" in text
