"""Valid collision records and helpers that send them through the feed's ingest service."""
# ruff: noqa: E501 - realistic records read best one unit or person a line

from __future__ import annotations

import base64
import copy
import io
import itertools

from PIL import Image

from tests.feed.factories import recent, store_tickets

_seq = itertools.count(1)


def png_bytes(size=(40, 30), fmt="PNG") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, format=fmt)
    return buf.getvalue()


def diagram(fmt="PNG", media_type="image/png") -> dict:
    return {"media_type": media_type, "data_base64": base64.b64encode(png_bytes(fmt=fmt)).decode()}


BASE_COLLISION = {
    "type": "collision",
    "report_number": "E2026-0001",
    "version": 1,
    "agency_ori": "WA0340100",
    "agency_case_number": "OPD-26-100",
    "officer": {"name": "Ofc. Jamie Park", "personnel_number": "1123"},
    "location": {"county": "Thurston", "city": "Olympia", "road": "Capitol Blvd SE", "milepost": 2.1, "latitude": 47.03, "longitude": -122.9},
    "weather": "clear",
    "light_condition": "daylight",
    "road_surface": "dry",
    "manner_of_collision": "front_to_rear",
    "first_harmful_event": "motor_vehicle_in_transport",
    "units": [
        {"unit_number": 1, "unit_type": "motor_vehicle", "vehicle": {"plate": "ABC1234", "plate_state": "WA", "make": "TOYT", "year": 2018, "vin": "1HGCM82633A004352"},
         "driver": {"last_name": "DOE", "first_name": "JANE", "date_of_birth": "1990-04-01", "address": {"line1": "1 Main St", "city": "Olympia", "state": "WA", "postal_code": "98501"}, "licence": {"number": "WDLABC123456", "state": "WA"}},
         "damage_estimate": "3500.00", "contributing_circumstances": ["following_too_closely"]},
        {"unit_number": 2, "unit_type": "motor_vehicle", "vehicle": {"plate": "XYZ9876", "plate_state": "WA", "make": "HOND"},
         "driver": {"last_name": "ROE", "first_name": "RICHARD", "address": {"line1": "9 Elm St", "city": "Lacey", "state": "WA", "postal_code": "98503"}},
         "damage_estimate": "1800.00"},
    ],
    "persons": [
        {"unit_number": 1, "role": "driver", "injury": "O", "person": {"last_name": "DOE", "first_name": "JANE"}},
        {"unit_number": 2, "role": "driver", "injury": "C", "person": {"last_name": "ROE", "first_name": "RICHARD", "address": {"line1": "9 Elm St", "city": "Lacey", "state": "WA", "postal_code": "98503"}}},
        {"unit_number": 2, "role": "passenger", "injury": "B", "person": {"last_name": "ROE", "first_name": "SAM"}},
    ],
    "narrative": "Unit 1 struck the rear of unit 2, which was stopped for a red signal at Capitol Blvd and 14th Ave.",
    "diagram": None,
}  # fmt: skip


def collision(**changes) -> dict:
    rec = copy.deepcopy(BASE_COLLISION)
    rec["occurred_at"] = recent(5)
    rec["reported_at"] = recent(4)
    if "report_number" not in changes:
        rec["report_number"] = f"E2026-{next(_seq):05d}"
    rec.update(changes)
    return rec


def store(records) -> list[dict]:
    """Through the same ingest service the API uses."""
    return store_tickets(records)


def make_report(**changes):
    from collisions.models import CollisionReport

    rec = collision(**changes)
    [result] = store([rec])
    assert result["status"] in ("created", "updated"), result
    return CollisionReport.objects.get(report_number=rec["report_number"], agency__ori=rec["agency_ori"])


def make_release(world, report=None):
    from datetime import date

    from collisions.services import release_record

    report = report or make_report(diagram=diagram())
    return release_record(
        actor=world.users["lasa"], report_id=report.pk, party_name="Acme Insurance", relation="insurer",
        what="Redacted report", released_on=date.today(), person_position=None,
    )  # fmt: skip


def make_destination(code="DOT", **fields):
    from sector.feed.outbox_models import Destination

    defaults = {"name": f"{code} exchange", "kind": "http", "url": "http://127.0.0.1:9/collisions", "max_attempts": 3}
    defaults.update(fields)
    return Destination.objects.get_or_create(code=code, defaults=defaults)[0]


def make_delivery(world):
    from sector.feed.outbox import deliveries_create

    dest = make_destination("TESTDEST", active=False)
    report = make_report()
    [d] = deliveries_create(
        record_type="collision", record_id=report.pk, label=report.report_number,
        key_prefix=f"X:{report.report_number}:1", payload=b"{}",
    )  if dest.active else [None]  # fmt: skip
    if d is None:
        from django.utils import timezone

        from sector.feed.outbox_models import Delivery

        d = Delivery.objects.create(
            destination=dest, record_type="collision", record_id=report.pk, label=report.report_number,
            idempotency_key=f"X:{report.report_number}:1:TESTDEST", payload=b"{}", status="failed",
            next_attempt_at=timezone.now(), created_at=timezone.now(), failed_at=timezone.now(),
        )  # fmt: skip
    return d
