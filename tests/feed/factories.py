"""Valid feed records and a client helper for the API tests."""

from __future__ import annotations

import copy
import itertools
import json

from django.test import Client

from sector.feed.services import credential_create

_seq = itertools.count(1)

BASE_TICKET = {
    "type": "ticket",
    "ticket_number": "5A0000001",
    "version": 1,
    "kind": "infraction",
    "agency_ori": "WA0340100",
    "agency_case_number": "OPD-26-001",
    "officer": {"name": "Ofc. Jamie Park", "personnel_number": "1123"},
    "court_code": "D34",
    "issued_at": "2026-11-16T14:32:00-08:00",
    "certification": {
        "statement": (
            "I certify under penalty of perjury under the laws of the State of Washington "
            "that the foregoing is true and correct."
        ),
        "place": "Olympia, WA",
    },
    "service": "personal",
    "in_custody": False,
    "appearance": None,
    "location": {
        "county": "Thurston",
        "city": "Olympia",
        "road": "I-5 NB",
        "milepost": 105.2,
        "latitude": 47.03,
        "longitude": -122.9,
    },
    "defendant": {
        "last_name": "DOE",
        "first_name": "JANE",
        "date_of_birth": "1990-04-01",
        "sex": "F",
        "address": {"line1": "1 Main St", "city": "Olympia", "state": "WA", "postal_code": "98501"},
        "licence": {"number": "WDLABC123456", "state": "WA", "commercial": False},
    },
    "vehicle": {
        "plate": "ABC1234",
        "plate_state": "WA",
        "make": "TOYT",
        "model": "CAM",
        "year": 2018,
        "vin": "1HGCM82633A004352",
    },
    "violations": [
        {
            "law": "RCW 46.61.400(1)",
            "law_kind": "state",
            "offense_level": "infraction",
            "description": "Speeding 15 mph over limit",
            "penalty": "234.00",
            "speed": 75,
            "posted_speed": 60,
        }
    ],
    "void": False,
}


def recent(hours: float = 1) -> str:
    """A time `hours` ago, written with the Pacific offset as a sender would."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    return (datetime.now(ZoneInfo("America/Los_Angeles")) - timedelta(hours=hours)).replace(microsecond=0).isoformat()


def ticket(**changes) -> dict:
    rec = copy.deepcopy(BASE_TICKET)
    rec["issued_at"] = recent()
    if "ticket_number" not in changes:
        rec["ticket_number"] = f"5A{next(_seq):07d}"
    rec.update(changes)
    return rec


def batch(records, batch_id=None, sent_at="2026-11-16T15:00:00-08:00") -> dict:
    return {"batch_id": batch_id or f"BO-{next(_seq):06d}", "sent_at": sent_at, "records": records}


class FeedClient:
    def __init__(self, system="WSP-BACKOFFICE"):
        _credential, self.token = credential_create(system=system)
        self.client = Client()

    def post(self, body, *, content_type="application/json", token=None, raw: bytes | None = None):
        data = raw if raw is not None else json.dumps(body)
        return self.client.post(
            "/api/feed/v1/batches",
            data=data,
            content_type=content_type,
            HTTP_AUTHORIZATION=f"Bearer {token or self.token}",
        )

    def get(self, batch_id, token=None):
        return self.client.get(f"/api/feed/v1/batches/{batch_id}", HTTP_AUTHORIZATION=f"Bearer {token or self.token}")


def store_tickets(records, *, system="TEST-FEED") -> list:
    """Send records through the same ingest service the API uses; returns the results."""
    from sector.feed.models import FeedCredential
    from sector.feed.services import batch_ingest, parse_envelope

    credential = FeedCredential.objects.filter(system=system, revoked_at__isnull=True).first()
    if credential is None:
        credential, _ = credential_create(system=system)
    _status, body = batch_ingest(credential=credential, envelope=parse_envelope(json.dumps(batch(records)).encode()))
    return body["results"]


def make_ticket(world=None, **changes):
    """One stored ticket (agency A → court A unless told otherwise)."""
    from citations.models import Ticket

    rec = ticket(**changes)
    [result] = store_tickets([rec])
    assert result["status"] in ("created", "updated"), result
    return Ticket.objects.get(ticket_number=rec["ticket_number"], agency__ori=rec["agency_ori"])
