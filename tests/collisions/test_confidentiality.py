"""Confidential collision reports (RCW 46.52.080), issue 12: every content route is access-logged, the access log
is append-only at the database, a release PDF carries no other party's details (narrative included), license
numbers are masked where they are not the point of the page."""

import io
from datetime import date

import pytest
from django.db import connection
from django.urls import URLPattern, reverse
from django.utils import timezone
from pypdf import PdfReader

import collisions.urls
from collisions.choices import AccessKind
from collisions.models import AccessLog, CollisionReport, CollisionVersion
from collisions.pdf import other_parties_mask
from collisions.services import delivery_payload, release_record, report_return
from sector.core.models import AppendOnlyError
from sector.feed.outbox_models import Delivery
from tests.collisions.factories import collision, diagram, make_destination, make_report, store
from tests.core.test_append_only import refused

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _two_versions_with_diagrams(world) -> CollisionReport:
    rec = collision(diagram=diagram())
    store([rec])
    report = CollisionReport.objects.get(report_number=rec["report_number"])
    report_return(actor=world.users["reviewer"], report_id=report.pk, notes={"general": "Check the weather."})
    store([{**rec, "version": 2, "weather": "rain", "diagram": diagram(fmt="JPEG", media_type="image/jpeg")}])
    return CollisionReport.objects.get(pk=report.pk)


def _delivery_for(report: CollisionReport, world) -> Delivery:
    version = CollisionVersion.objects.get(report=report, version=report.review_version)
    now = timezone.now()
    return Delivery.objects.create(
        destination=make_destination("TESTDEST", active=False), record_type="collision", record_id=report.pk,
        label=report.report_number, idempotency_key=f"X:{report.report_number}:1:TESTDEST",
        payload=delivery_payload(report, version, world.users["reviewer"], now), status="failed",
        next_attempt_at=now, created_at=now, failed_at=now,
    )  # fmt: skip


# Every collisions route, and the feed's delivery page, is either a content route (persona, how to build its
# kwargs, the access kind it logs) or says why it shows no report content. A new route must be classified here.
CONTENT_ROUTES = {
    "collisions:report_detail": ("reviewer", lambda w, r: {"pk": r.pk}, AccessKind.VIEW),
    "collisions:report_pdf": ("reviewer", lambda w, r: {"pk": r.pk}, AccessKind.PDF),
    "collisions:report_diagram v1": ("reviewer", lambda w, r: {"pk": r.pk, "version": 1}, AccessKind.DIAGRAM),
    "collisions:report_diagram v2": ("lasa", lambda w, r: {"pk": r.pk, "version": 2}, AccessKind.DIAGRAM),
    "collisions:releases": ("lasa", lambda w, r: {"pk": r.pk}, AccessKind.RELEASES),
    "collisions:release_pdf": (
        "lasa",
        lambda w, r: {
            "pk": r.pk,
            "release_pk": release_record(
                actor=w.users["lasa"],
                report_id=r.pk,
                party_name="Acme Insurance",
                relation="insurer",
                what="Redacted report",
                released_on=date.today(),
                person_position=None,
            ).pk,
        },  # fmt: skip
        AccessKind.RELEASE_PDF,
    ),
    "outbox:delivery_detail": ("wsp", lambda w, r: {"pk": _delivery_for(r, w).pk}, AccessKind.DELIVERY),
}
NOT_CONTENT = {
    "collisions:review_queue": "a list of report numbers, dates and places: no parties, no narrative",
    "collisions:claim_next": "POST only; redirects to the report page, which logs the view",
    "collisions:dashboard": "counts only",
    "collisions:access_log": "who viewed the report, not what it says",
    "collisions:report_action": "POST only; redirects",
    "collisions:review_settings": "each agency's review setting (second-level approval): no report at all",
    "collisions:review_setting_edit": "one agency's review setting and its history: no report at all",
}


def test_every_collisions_route_is_classified_as_content_or_not():
    names = {f"collisions:{p.name}" for p in collisions.urls.urlpatterns if isinstance(p, URLPattern)}
    content = {name.split(" ")[0] for name in CONTENT_ROUTES}
    assert names <= content | set(NOT_CONTENT), names - content - set(NOT_CONTENT)


@pytest.mark.parametrize("route", sorted(CONTENT_ROUTES))
def test_every_route_that_shows_report_content_writes_one_access_entry(world, route):
    persona, kwargs, kind = CONTENT_ROUTES[route]
    report = _two_versions_with_diagrams(world)
    url = reverse(route.split(" ")[0], kwargs=kwargs(world, report))
    before = AccessLog.objects.filter(report=report).count()
    response = world.client_for(persona).get(url)
    assert response.status_code == 200, response.status_code
    entries = list(AccessLog.objects.filter(report=report).order_by("id")[before:])
    assert [(e.kind, e.user) for e in entries] == [(kind, world.users[persona])]


def test_a_refused_request_writes_no_access_entry(world):
    report = make_report(diagram=diagram())
    assert world.client_for("lasa2").get(reverse("collisions:report_diagram", args=[report.pk, 1])).status_code == 404
    assert world.client_for("reviewer").get(reverse("collisions:releases", args=[report.pk])).status_code == 403
    assert not AccessLog.objects.filter(report=report).exists()


# ----------------------------------------------------------------------------- append-only


def test_the_orm_refuses_to_change_or_delete_an_access_entry(world):
    report = make_report()
    world.client_for("reviewer").get(reverse("collisions:report_detail", args=[report.pk]))
    entry = AccessLog.objects.get(report=report)
    entry.user_name = "someone else"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(pk=entry.pk).update(user_name="x")
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(pk=entry.pk).delete()
    assert AccessLog.objects.get(pk=entry.pk).user_name != "someone else"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE collisions_accesslog SET user_name = 'x'",
        "DELETE FROM collisions_accesslog",
        "TRUNCATE collisions_accesslog",
        "TRUNCATE collisions_accesslog CASCADE",
    ],
)
def test_the_database_refuses_to_rewrite_the_access_log(world, sql):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    report = make_report()
    world.client_for("reviewer").get(reverse("collisions:report_detail", args=[report.pk]))
    refused(sql)
    assert AccessLog.objects.filter(report=report).count() == 1


# ----------------------------------------------------------------------------- release PDF


OTHER_PARTY = ("JANE", "DOE", "1 Main St", "98501", "WDLABC123456", "ABC1234", "1HGCM82633A004352", "SAM")


def _record_release(world, report, **fields):
    data = {"party_name": "Richard Roe", "relation": "driver", "person_position": "1", "what": "Redacted report",
            "released_on": "2026-01-05", "confirmed": "1", **fields}  # fmt: skip
    client = world.client_for("lasa")
    assert client.post(reverse("collisions:releases", args=[report.pk]), data).status_code == 302
    release = report.releases.latest("id")
    return pdf_text(client.get(reverse("collisions:release_pdf", args=[report.pk, release.pk])).content), release


def test_release_pdf_leaves_the_narrative_out_unless_a_redacted_one_is_given(world):
    report = make_report(narrative="Jane Doe (WDL ABC123456) in plate ABC-1234 struck Richard Roe at 9 Elm St.")
    text, release = _record_release(world, report)
    assert release.narrative == ""
    assert "struck" not in text and "The narrative is not part of this copy" in text
    for term in OTHER_PARTY:
        assert term.lower() not in text.lower(), term
    assert "ROE" in text and "9 Elm St" in text  # the party's own details stay


def test_a_redacted_narrative_is_masked_again_for_names_licenses_and_plates_it_still_names(world):
    report = make_report(narrative="Original narrative with Jane Doe.")
    slip = (
        "Driver 1, jane DOE of 1 Main St, license WDL-ABC-123456, plate abc 1234, VIN 1HGCM82633A004352, "
        "rear-ended unit 2 (Richard Roe, 9 Elm St). Passenger Sam Roe was hurt."
    )
    text, release = _record_release(world, report, narrative=slip)
    assert release.narrative == slip  # kept as the reviewer typed it; the PDF masks it
    flat = " ".join(text.split())
    assert "unit 2 (Richard Roe, 9 Elm St). Passenger [redacted] Roe was hurt." in flat
    assert "Original narrative" not in flat
    for term in OTHER_PARTY:
        assert term.lower() not in text.lower(), term


def test_the_mask_keeps_the_released_to_persons_own_terms_and_masks_every_party_for_an_insurer(world):
    report = make_report()
    version = CollisionVersion.objects.get(report=report, version=1)
    persons, units = list(version.persons.order_by("position")), list(version.units.order_by("unit_number"))
    keep_roe = other_parties_mask(persons, units, 1)  # Richard Roe, driver of unit 2
    assert keep_roe("Richard Roe and Sam Roe hit by Jane DOE (1 Main  St)") == (
        "Richard Roe and [redacted] Roe hit by [redacted] [redacted] ([redacted])"
    )
    assert keep_roe("Janet Doering, plate XYZ9876") == "Janet Doering, plate XYZ9876"  # words, not fragments
    insurer = other_parties_mask(persons, units, None)
    assert insurer("Richard Roe, plate xyz-9876, 9 elm st, license wdl abc 123456") == (
        "[redacted] [redacted], plate [redacted], [redacted], license [redacted]"
    )


def test_the_release_form_explains_the_narrative_field(world):
    report = make_report()
    html = world.client_for("lasa").get(reverse("collisions:releases", args=[report.pk])).content.decode()
    assert 'name="narrative"' in html and "leave it empty to leave the narrative out" in html


# ----------------------------------------------------------------------------- license masking


def test_changed_since_returned_table_masks_license_numbers(world):
    rec = collision()
    store([rec])
    report = CollisionReport.objects.get(report_number=rec["report_number"])
    report_return(actor=world.users["reviewer"], report_id=report.pk, notes={"general": "License wrong."})
    units = [dict(u) for u in rec["units"]]
    units[0] = {**units[0], "driver": {**units[0]["driver"], "licence": {"number": "WDLXYZ987654", "state": "WA"}}}
    store([{**rec, "version": 2, "units": units}])
    html = world.client_for("reviewer").get(reverse("collisions:report_detail", args=[report.pk])).content.decode()
    assert "Changed since the returned version 1" in html
    assert "WDLABC123456" not in html and "WDLXYZ987654" not in html
    assert "••••••••3456" in html and "••••••••7654" in html


def test_delivery_payload_page_masks_license_numbers(world):
    report = make_report()
    delivery = _delivery_for(report, world)
    assert b"WDLABC123456" in bytes(delivery.payload)  # the bytes sent keep it: DOL needs it
    html = world.client_for("wsp").get(reverse("outbox:delivery_detail", args=[delivery.pk])).content.decode()
    assert "WDLABC123456" not in html
    assert "••••••••3456" in html and "ABC1234" in html  # only the license is masked
