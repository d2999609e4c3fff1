"""contracts/FEED.md, Ticket record and Common parts: each field's good and bad values; versions; voids."""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from citations.models import Ticket, TicketVersion, Violation
from sector.feed.models import FeedException
from tests.feed.factories import batch, ticket


def post_one(feed, rec):
    r = feed.post(batch([rec]))
    assert r.status_code == 200, r.content
    return r.json()["results"][0]


def codes(result):
    return {(e["field"], e["code"]) for e in result.get("errors", [])}


def without(key, **changes):
    rec = ticket(**changes)
    rec.pop(key)
    return rec


BAD = [
    # (record, expected (field, code))
    (ticket(type="ticket", ticket_number="5a-lower"), ("ticket_number", "invalid")),
    (ticket(ticket_number="A" * 21), ("ticket_number", "too_long")),
    (without("ticket_number"), ("ticket_number", "required")),
    (ticket(ticket_number=123), ("ticket_number", "invalid")),
    (ticket(version=0), ("version", "invalid")),
    (ticket(version="1"), ("version", "invalid")),
    (ticket(version=1.5), ("version", "invalid")),
    (ticket(version=True), ("version", "invalid")),
    (without("version"), ("version", "required")),
    (ticket(kind="parking"), ("kind", "invalid")),
    (without("kind"), ("kind", "required")),
    (ticket(agency_ori="WA034"), ("agency_ori", "invalid")),
    (ticket(agency_ori="WA03401000"), ("agency_ori", "too_long")),
    (ticket(agency_ori="WA9999999"), ("agency_ori", "unknown_agency")),
    (without("agency_ori"), ("agency_ori", "required")),
    (ticket(agency_case_number="x" * 201), ("agency_case_number", "too_long")),
    (ticket(officer={"name": "A"}), ("officer.personnel_number", "required")),
    (ticket(officer="Park"), ("officer", "invalid")),
    (without("officer"), ("officer", "required")),
    (ticket(court_code="X99"), ("court_code", "unknown_court")),
    (ticket(court_code="d34"), ("court_code", "invalid")),
    (without("court_code"), ("court_code", "required")),
    (ticket(issued_at="2026-11-20 14:32"), ("issued_at", "invalid")),
    (ticket(issued_at="2026-11-20T14:32:00"), ("issued_at", "invalid")),  # no offset
    (ticket(issued_at="2099-01-01T00:00:00Z"), ("issued_at", "future_time")),
    (ticket(issued_at="2026-02-30T10:00:00-08:00"), ("issued_at", "invalid")),
    (without("issued_at"), ("issued_at", "required")),
    (ticket(certification={"statement": "x"}), ("certification.place", "required")),
    (without("certification"), ("certification", "required")),
    (ticket(service="fax"), ("service", "invalid")),
    (ticket(in_custody="yes"), ("in_custody", "invalid")),
    (ticket(in_custody=True, kind="infraction"), ("in_custody", "invalid")),
    (ticket(appearance={"at": "soon", "location": "Room 1"}), ("appearance.at", "invalid")),
    (ticket(appearance={"at": "2026-12-01T09:00:00-08:00"}), ("appearance.location", "required")),
    (ticket(appearance=[]), ("appearance", "invalid")),
    (without("location"), ("location", "required")),
    (ticket(location={"city": "Olympia"}), ("location.county", "required")),
    (ticket(location={"county": "Thurston", "latitude": 47.0}), ("location", "invalid")),
    (ticket(location={"county": "Thurston", "milepost": "105"}), ("location.milepost", "invalid")),
    (without("defendant"), ("defendant", "required")),
    (ticket(defendant={"first_name": "JANE"}), ("defendant.last_name", "required")),
    (ticket(defendant={"last_name": "DOE", "sex": "Q"}), ("defendant.sex", "invalid")),
    (ticket(defendant={"last_name": "DOE", "date_of_birth": "04/01/1990"}), ("defendant.date_of_birth", "invalid")),
    (ticket(defendant={"last_name": "DOE", "licence": {"number": "X"}}), ("defendant.licence.state", "required")),
    (ticket(defendant={"last_name": "DOE", "address": {"line1": "1 Main"}}), ("defendant.address.city", "required")),
    (ticket(defendant={"last_name": "DOE", "nickname": "JJ"}), ("defendant.nickname", "invalid")),
    (ticket(defendant={"last_name": "D" * 101}), ("defendant.last_name", "too_long")),
    (ticket(vehicle={"vin": "1HGCM82633A00435"}), ("vehicle.vin", "invalid")),
    (ticket(vehicle={"vin": "1HGCM82633A00435O"}), ("vehicle.vin", "invalid")),
    (ticket(vehicle={"year": "2018"}), ("vehicle.year", "invalid")),
    (ticket(vehicle={"commercial": "no"}), ("vehicle.commercial", "invalid")),
    (ticket(violations=[]), ("violations", "required")),
    (without("violations"), ("violations", "required")),
    (ticket(violations=[{**ticket()["violations"][0]}] * 11), ("violations", "invalid")),
    (
        ticket(violations=[{"law": "RCW 1", "law_kind": "federal", "offense_level": "infraction", "description": "x"}]),
        ("violations[0].law_kind", "invalid"),
    ),
    (
        ticket(violations=[{"law": "RCW 1", "law_kind": "state", "offense_level": "felony", "description": "x"}]),
        ("violations[0].offense_level", "invalid"),
    ),
    (
        ticket(
            violations=[{"law": "RCW 1", "law_kind": "state", "offense_level": "infraction", "description": "x" * 501}]
        ),
        ("violations[0].description", "too_long"),
    ),
    (
        ticket(
            violations=[
                {"law": "RCW 1", "law_kind": "state", "offense_level": "infraction", "description": "x", "penalty": 234}
            ]
        ),
        ("violations[0].penalty", "invalid"),
    ),
    (
        ticket(
            violations=[
                {
                    "law": "RCW 1",
                    "law_kind": "state",
                    "offense_level": "infraction",
                    "description": "x",
                    "penalty": "234",
                }
            ]
        ),
        ("violations[0].penalty", "invalid"),
    ),
    (
        ticket(
            violations=[
                {"law": "RCW 1", "law_kind": "state", "offense_level": "infraction", "description": "x", "speed": "75"}
            ]
        ),
        ("violations[0].speed", "invalid"),
    ),
    (
        ticket(
            violations=[
                {"law": "RCW 1", "law_kind": "state", "offense_level": "infraction", "description": "x", "zone": "park"}
            ]
        ),
        ("violations[0].zone", "invalid"),
    ),
    (
        ticket(violations=[{"law_kind": "state", "offense_level": "infraction", "description": "x"}]),
        ("violations[0].law", "required"),
    ),
    (ticket(void="true"), ("void", "invalid")),
    (ticket(void=True), ("void_reason", "required")),
    (ticket(colour="red"), ("colour", "invalid")),
    (ticket(agency_case_number="a\x00b"), ("agency_case_number", "invalid")),
]


@pytest.mark.parametrize("rec, expected", BAD, ids=[f"{e[0]}-{e[1]}-{i}" for i, (_, e) in enumerate(BAD)])
def test_each_contract_check_rejects_with_field_and_code(feed, rec, expected):
    result = post_one(feed, rec)
    assert result["status"] == "rejected"
    assert expected in codes(result), result
    assert all(e["message"] for e in result["errors"])
    assert not Ticket.objects.exists()
    exc = FeedException.objects.get()
    assert json.loads(exc.raw) == rec


GOOD = [
    ticket(issued_at="2026-11-20T22:32:00Z"),
    ticket(kind="civil_infraction"),
    ticket(kind="criminal", in_custody=True),
    ticket(service="mail"),
    ticket(service="vehicle"),
    ticket(appearance={"at": "2027-01-05T09:00:00-08:00", "location": "Courtroom 2"}),
    ticket(vehicle=None),
    ticket(defendant={"last_name": "O'BRIEN-SMITH"}),
    ticket(agency_case_number="<script>alert(1)</script>"),
    ticket(
        violations=[
            {
                "law": "OMC 10.2",
                "law_kind": "local",
                "offense_level": "misdemeanor",
                "traffic": False,
                "description": "Noise",
                "zone": "school",
                "collision_report_number": "E2026-0001",
            }
        ]
    ),
]


@pytest.mark.parametrize("rec", GOOD)
def test_valid_variants_are_created_and_read_back(feed, rec):
    result = post_one(feed, rec)
    assert result["status"] == "created", result
    t = Ticket.objects.get()
    v = TicketVersion.objects.get()
    assert v.raw == rec
    assert t.ticket_number == rec["ticket_number"] and t.kind == rec["kind"]
    assert t.defendant_last_name == rec["defendant"]["last_name"]
    assert t.issued_at == datetime.fromisoformat(rec["issued_at"].replace("Z", "+00:00")).astimezone(UTC)
    assert t.service == rec.get("service", "personal")
    assert Violation.objects.filter(ticket=t).count() == len(rec["violations"])


def test_typed_fields_are_stored(feed, world):
    rec = ticket()
    post_one(feed, rec)
    v = TicketVersion.objects.get()
    assert v.officer_name == "Ofc. Jamie Park" and v.officer_personnel_number == "1123"
    assert v.certification_place == "Olympia, WA" and v.certification_statement.startswith("I certify")
    assert v.vehicle["vin"] == "1HGCM82633A004352" and v.vehicle["year"] == 2018
    assert v.defendant["licence"]["number"] == "WDLABC123456" and v.defendant["date_of_birth"] == "1990-04-01"
    assert v.location["milepost"] == 105.2
    violation = Violation.objects.get()
    assert violation.penalty == Decimal("234.00") and violation.speed == 75 and violation.traffic is True
    t = Ticket.objects.get()
    assert t.agency == world.agency_a and t.court == world.court_a
    assert t.licence_number == "WDLABC123456" and t.officer_name == "Ofc. Jamie Park"


def test_a_wrong_vin_check_digit_and_coordinates_outside_washington_are_warnings_only(feed):
    result = post_one(
        feed,
        ticket(
            vehicle={"vin": "1HGCM82633A004353"}, location={"county": "Thurston", "latitude": 40.0, "longitude": -100.0}
        ),
    )
    assert result["status"] == "created"
    assert {w["code"] for w in result["warnings"]} == {"vin_check_digit", "outside_washington"}


# ---------------------------------------------------------------- versions and identity


def test_same_version_same_content_is_unchanged_even_with_other_key_order_and_spacing(feed):
    rec = ticket()
    post_one(feed, rec)
    reordered = json.loads(json.dumps(dict(reversed(list(rec.items())))))
    result = post_one(feed, reordered)
    assert result["status"] == "unchanged"
    assert TicketVersion.objects.count() == 1


def test_same_version_other_content_is_a_version_conflict(feed):
    rec = ticket()
    post_one(feed, rec)
    result = post_one(feed, {**rec, "agency_case_number": "CHANGED"})
    assert result["status"] == "rejected" and codes(result) == {("version", "version_conflict")}
    assert TicketVersion.objects.count() == 1


def test_a_lower_version_is_stale(feed):
    rec = ticket(version=2)
    post_one(feed, rec)
    result = post_one(feed, {**rec, "version": 1})
    assert codes(result) == {("version", "stale_version")}


def test_a_higher_version_is_an_amendment_waiting_for_the_clerk(feed):
    rec = ticket()
    post_one(feed, rec)
    amended = {**rec, "version": 2, "defendant": {**rec["defendant"], "last_name": "DOE-SMITH"}}
    result = post_one(feed, amended)
    assert result["status"] == "updated"
    t = Ticket.objects.get()
    assert t.latest_version == 2 and t.applied_version == 1 and t.amendment_pending and t.needs_clerk
    assert t.defendant_last_name == "DOE"  # nothing silently replaced
    v2 = TicketVersion.objects.get(version=2)
    assert v2.disposition == "pending"
    assert v2.changes == {"defendant.last_name": ["DOE", "DOE-SMITH"]}
    assert Violation.objects.filter(ticket=t, version=2).count() == 1


def test_identity_is_agency_and_number(feed, world):
    rec = ticket()
    post_one(feed, rec)
    result = post_one(feed, {**rec, "agency_ori": world.agency_b.ori, "court_code": world.court_b.code})
    assert result["status"] == "created"
    assert {"possible_duplicate"} <= {w["code"] for w in result.get("warnings", [])}
    assert Ticket.objects.count() == 2


def test_records_apply_in_index_order_within_a_batch(feed):
    rec = ticket()
    v2 = {**rec, "version": 2, "agency_case_number": "V2"}
    r = feed.post(batch([rec, v2, rec, {**rec, "version": 2, "agency_case_number": "OTHER"}, v2]))
    statuses = [(x["status"], tuple(sorted(codes(x)))) for x in r.json()["results"]]
    assert statuses == [
        ("created", ()),
        ("updated", ()),
        ("rejected", (("version", "stale_version"),)),
        ("rejected", (("version", "version_conflict"),)),
        ("unchanged", ()),
    ]
    t = Ticket.objects.get()
    assert t.latest_version == 2 and TicketVersion.objects.filter(ticket=t).count() == 2
    assert TicketVersion.objects.get(version=2).changes == {"agency_case_number": ["OPD-26-001", "V2"]}


def test_a_void_is_a_request_nothing_is_deleted(feed):
    rec = ticket()
    post_one(feed, rec)
    result = post_one(feed, {**rec, "version": 2, "void": True, "void_reason": "Spoiled ticket"})
    assert result["status"] == "updated"
    t = Ticket.objects.get()
    assert t.void_requested and t.void_reason == "Spoiled ticket" and t.status == "received" and t.needs_clerk
    assert TicketVersion.objects.count() == 2


def test_reprocessing_an_exception_after_the_court_is_added(feed, world):
    from sector.feed.services import exception_reprocess
    from tests.factories import CourtFactory

    rec = ticket(court_code="M34OLY")
    assert post_one(feed, rec)["status"] == "rejected"
    exc = FeedException.objects.get()
    assert exception_reprocess(exceptions=[exc], actor=world.users["wsp"]) == {"resolved": 0, "still_rejected": 1}
    CourtFactory(code="M34OLY", name="Olympia Municipal Court")
    assert exception_reprocess(exceptions=[exc], actor=world.users["wsp"]) == {"resolved": 1, "still_rejected": 0}
    exc.refresh_from_db()
    assert exc.status == "resolved" and exc.resolution["status"] == "created" and exc.attempts == 2
    t = Ticket.objects.get(ticket_number=rec["ticket_number"])
    assert t.received_at == exc.batch.received_at  # lateness counts from the original receipt
    assert exception_reprocess(exceptions=[exc], actor=world.users["wsp"]) == {"resolved": 0, "still_rejected": 0}


def test_nul_characters_anywhere_are_rejected_and_stored_safely(feed):
    rec = ticket(appearance={"\x00": None})
    rec["ticket_number"] = "5A\x00"
    rec["extra\x00"] = 1
    result = post_one(feed, rec)
    assert result["status"] == "rejected"
    assert all("\x00" not in e["field"] + e["message"] for e in result["errors"])
    exc = FeedException.objects.get()
    assert json.loads(exc.raw) == rec and "\x00" not in exc.number
