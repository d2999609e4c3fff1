"""Collision records through the feed: contract checks (tier 1), storage, severity, version semantics."""

import base64
import json

import pytest
from django.core import mail

from collisions.choices import ReportStatus, VersionKind
from collisions.models import CollisionDiagram, CollisionPerson, CollisionReport, CollisionUnit, CollisionVersion
from sector.feed.models import FeedException
from tests.collisions.factories import collision, diagram, png_bytes, store
from tests.feed.factories import batch

pytestmark = pytest.mark.django_db


def error_codes(result):
    return {(e["field"], e["code"]) for e in result.get("errors", [])}


def test_a_report_is_stored_with_units_persons_diagram_and_severity(world):
    rec = collision(diagram=diagram())
    [result] = store([rec])
    assert result["status"] == "created" and result["type"] == "collision" and result["number"] == rec["report_number"]
    report = CollisionReport.objects.get(report_number=rec["report_number"])
    assert report.agency == world.agency_a
    assert report.status == ReportStatus.PENDING and report.review_version == 1
    assert report.severity == "B"  # worst of O, C, B
    assert report.error_count == 0 and report.location_text.startswith("Capitol Blvd SE, Olympia")
    version = CollisionVersion.objects.get(report=report)
    assert version.raw == rec
    assert CollisionUnit.objects.filter(version=version).count() == 2
    assert list(CollisionPerson.objects.filter(version=version).values_list("injury", flat=True)) == ["O", "C", "B"]
    d = CollisionDiagram.objects.get(version=version)
    assert bytes(d.data) == png_bytes() and d.media_type == "image/png" and (d.width, d.height) == (40, 30)


def test_no_injury_is_property_damage_only(world):
    rec = collision()
    for p in rec["persons"]:
        p["injury"] = "O"
    store([rec])
    assert CollisionReport.objects.get(report_number=rec["report_number"]).severity == "O"


def test_domain_rules_never_reject_but_are_stored_and_echoed(world):
    rec = collision(narrative="Rear-ended.")
    rec["persons"][0]["unit_number"] = 9
    [result] = store([rec])
    assert result["status"] == "created"
    assert {w["code"] for w in result["warnings"]} == {"narrative_short"}
    report = CollisionReport.objects.get(report_number=rec["report_number"])
    assert report.error_count == 1 and report.warning_count == 1
    [err] = [f for f in CollisionVersion.objects.get(report=report).findings if f["level"] == "error"]
    assert err["code"] == "unknown_unit" and err["section"] == "persons"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"agency_ori": "WA9999999"}, ("agency_ori", "unknown_agency")),
        ({"agency_ori": "bad"}, ("agency_ori", "invalid")),
        ({"report_number": "e 1"}, ("report_number", "invalid")),
        ({"report_number": "E" * 21}, ("report_number", "too_long")),
        ({"version": 0}, ("version", "invalid")),
        ({"version": "2"}, ("version", "invalid")),
        ({"occurred_at": "2099-01-01T00:00:00Z"}, ("occurred_at", "future_time")),
        ({"occurred_at": "yesterday"}, ("occurred_at", "invalid")),
        ({"units": []}, ("units", "invalid")),
        ({"weather": "Clear Skies"}, ("weather", "invalid")),
        ({"narrative": "x" * 20001}, ("narrative", "too_long")),
        ({"colour": "red"}, ("colour", "invalid")),
        ({"diagram": {"media_type": "image/gif", "data_base64": "R0lG"}}, ("diagram.media_type", "bad_diagram")),
        ({"diagram": {"media_type": "image/png", "data_base64": "not base64!"}},
         ("diagram.data_base64", "bad_diagram")),
        ({"diagram": {"media_type": "image/png", "data_base64": base64.b64encode(b"\x89PNG\r\n\x1a\nnope").decode()}},
         ("diagram.data_base64", "bad_diagram")),
        ({"diagram": diagram(fmt="JPEG", media_type="image/png")}, ("diagram.media_type", "bad_diagram")),
    ],
)  # fmt: skip
def test_contract_checks_reject_with_a_clear_error_and_keep_the_record(world, change, expected):
    rec = collision(**change)
    [result] = store([rec])
    assert result["status"] == "rejected"
    assert expected in error_codes(result), result
    assert all(e["message"] for e in result["errors"])
    assert not CollisionReport.objects.filter(report_number=rec["report_number"]).exists()
    exc = FeedException.objects.get(record_type="collision", number=rec.get("report_number") or "")
    assert json.loads(exc.raw) == rec


def test_a_diagram_over_2_mb_is_refused(world):
    big = base64.b64encode(b"\x00" * (2 * 1024 * 1024 + 1)).decode()
    [result] = store([collision(diagram={"media_type": "image/png", "data_base64": big})])
    assert ("diagram.data_base64", "bad_diagram") in error_codes(result)
    assert "2 MB" in result["errors"][0]["message"]


def test_a_jpeg_diagram_named_jpeg_is_accepted(world):
    [result] = store([collision(diagram=diagram(fmt="JPEG", media_type="image/jpeg"))])
    assert result["status"] == "created"


def test_html_in_text_fields_is_stored_as_text(world):
    rec = collision(narrative="<script>alert(1)</script> rear-ended at the light, both cars towed")
    rec["units"][0]["driver"]["last_name"] = "<b>DOE</b>"
    [result] = store([rec])
    assert result["status"] == "created"
    v = CollisionVersion.objects.get(report__report_number=rec["report_number"])
    assert v.narrative.startswith("<script>")


def test_versions_same_different_lower(world):
    rec = collision()
    store([rec])
    [same] = store([rec])
    assert same["status"] == "unchanged"
    changed = {**rec, "narrative": rec["narrative"] + " Changed."}
    [conflict] = store([changed])
    assert conflict["status"] == "rejected" and ("version", "version_conflict") in error_codes(conflict)
    store([{**rec, "version": 3}])
    [stale] = store([{**rec, "version": 2}])
    assert ("version", "stale_version") in error_codes(stale)
    report = CollisionReport.objects.get(report_number=rec["report_number"])
    assert report.latest_version == 3
    assert list(
        CollisionVersion.objects.filter(report=report).values_list("version", flat=True).order_by("version")
    ) == [1, 3]


def test_a_higher_version_of_a_returned_report_is_a_resubmission(world):
    from collisions.services import report_return

    rec = collision()
    store([rec])
    report = CollisionReport.objects.get(report_number=rec["report_number"])
    report_return(actor=world.users["reviewer"], report_id=report.pk, notes={"narrative": "Say which signal."})
    [result] = store([{**rec, "version": 2, "narrative": rec["narrative"] + " Signal 14th Ave."}])
    assert result["status"] == "updated"
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING and report.version_kind == VersionKind.RESUBMISSION
    assert report.review_version == 2 and report.returned_version == 1
    v2 = CollisionVersion.objects.get(report=report, version=2)
    assert list(v2.changes) == ["narrative"]


def test_a_higher_version_under_review_replaces_it_and_the_claimer_is_told(world, django_capture_on_commit_callbacks):
    from collisions.services import claim_report

    rec = collision()
    store([rec])
    report = CollisionReport.objects.get(report_number=rec["report_number"])
    claim_report(actor=world.users["reviewer"], report_id=report.pk)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        [result] = store([{**rec, "version": 2, "weather": "rain"}])
    assert result["status"] == "updated"
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING and report.review_version == 2
    assert report.version_kind == VersionKind.REPLACEMENT and report.replaced_under_review
    assert report.claimed_by == world.users["reviewer"]  # the claim stays; the reviewer is told
    [message] = mail.outbox
    assert message.to == [world.users["reviewer"].email] and rec["report_number"] in message.subject


def test_a_higher_version_after_approval_is_a_supplement_needing_its_own_review(world):
    from collisions.services import report_approve

    rec = collision()
    store([rec])
    report = CollisionReport.objects.get(report_number=rec["report_number"])
    report_approve(actor=world.users["reviewer"], report_id=report.pk)
    rec["persons"][1]["injury"] = "K"
    store([{**rec, "version": 2}])
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING and report.version_kind == VersionKind.SUPPLEMENT
    assert report.approved_version == 1 and report.review_version == 2 and report.severity == "K"


def test_records_apply_in_index_order_within_a_batch(world):
    rec = collision()
    results = store([rec, {**rec, "version": 2, "weather": "snow"}, {**rec, "version": 2, "weather": "fog"}])
    assert [r["status"] for r in results] == ["created", "updated", "rejected"]
    report = CollisionReport.objects.get(report_number=rec["report_number"])
    assert report.latest_version == 2 and CollisionVersion.objects.filter(report=report).count() == 2


def test_the_author_is_found_by_personnel_number(world):
    from sector.orgs.models import Person

    Person.objects.create(
        first_name="Jamie",
        last_name="Park",
        personnel_number="1123",
        agency=world.agency_a,
        user=world.users["officer"],
    )
    rec = collision()
    store([rec])
    assert CollisionReport.objects.get(report_number=rec["report_number"]).author == world.users["officer"]


def test_through_the_api(world, feed):
    rec = collision()
    response = feed.post(batch([rec, {"type": "collision"}]))
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["status"] == "created" and results[1]["status"] == "rejected"


def test_ingest_query_count_does_not_grow_with_batch_size(world, django_assert_max_num_queries):
    from tests.feed.factories import store_tickets

    store_tickets([collision()])  # credential, first batch
    with django_assert_max_num_queries(20):
        store([collision(diagram=diagram()) for _ in range(5)])
    with django_assert_max_num_queries(20):
        store([collision(diagram=diagram()) for _ in range(60)])
