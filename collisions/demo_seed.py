"""seed_demo: collision reports through the feed's ingest service (errors, warnings, resubmissions, a supplement),
some review work on them, and two folder destinations so approving in the demo shows a real delivery."""
# ruff: noqa: E501 - realistic records read best one unit or person a line

from __future__ import annotations

import base64
import io
import json
import random
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

DEMO_SYSTEM = "WSP-BACKOFFICE-DEMO-COLLISIONS"
ROADS = ["Capitol Blvd SE", "Martin Way E", "Harrison Ave NW", "Pacific Ave SE", "I-5 NB", "US-101 SB", "4th Ave E"]
OFFICERS = [("Ofc. Maria Delgado", "OPD-1142"), ("Ofc. Kevin Oduya", "OPD-1203"), ("Ofc. Hannah Pryce", "OPD-1219"),
            ("Sgt. Tom Barrett", "OPD-0871")]  # fmt: skip
SURNAMES = ["NGUYEN", "JOHNSON", "GARCIA", "MILLER", "DAVIS", "LOPEZ", "WILSON", "ANDERSON", "THOMAS", "MOORE"]


def _diagram_png(seed: int) -> str:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (320, 200), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 90, 320, 110], fill=(200, 200, 200))
    draw.rectangle([40 + seed % 60, 92, 80 + seed % 60, 108], outline="blue", width=3)
    draw.rectangle([120, 92, 160, 108], outline="red", width=3)
    draw.line([80 + seed % 60, 100, 120, 100], fill="black", width=2)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode()


def _record(rng: random.Random, n: int, now) -> dict:
    occurred = now - timedelta(days=rng.randint(0, 14), hours=rng.randint(1, 20))
    officer = OFFICERS[n % len(OFFICERS)]
    a, b = rng.sample(SURNAMES, 2)
    injuries = rng.choice([["O", "O"], ["O", "C"], ["B", "O"], ["A", "C"], ["O", "O"]])
    return {
        "type": "collision",
        "report_number": f"E2026-{n:05d}",
        "version": 1,
        "agency_ori": "WA0340100",
        "agency_case_number": f"OPD-26-{4000 + n}",
        "officer": {"name": officer[0], "personnel_number": officer[1]},
        "occurred_at": occurred.isoformat(),
        "reported_at": (occurred + timedelta(minutes=rng.randint(20, 90))).isoformat(),
        "location": {"county": "Thurston", "city": "Olympia", "road": rng.choice(ROADS), "milepost": round(rng.uniform(0, 20), 1),
                     "latitude": round(47.0 + rng.random() * 0.06, 4), "longitude": round(-122.95 + rng.random() * 0.1, 4)},
        "weather": rng.choice(["clear", "rain", "cloudy", "fog"]),
        "light_condition": rng.choice(["daylight", "dark_lighted", "dusk"]),
        "road_surface": rng.choice(["dry", "wet"]),
        "manner_of_collision": rng.choice(["front_to_rear", "angle", "sideswipe_same_direction"]),
        "first_harmful_event": "motor_vehicle_in_transport",
        "units": [
            {"unit_number": 1, "unit_type": "motor_vehicle", "vehicle": {"plate": f"BX{n:05d}", "plate_state": "WA", "make": "TOYT", "year": 2019},
             "driver": {"last_name": a, "first_name": "ALEX", "address": {"line1": f"{n} Main St", "city": "Olympia", "state": "WA", "postal_code": "98501"}},
             "damage_estimate": f"{rng.randint(8, 60) * 100}.00"},
            {"unit_number": 2, "unit_type": "motor_vehicle", "vehicle": {"plate": f"CK{n:05d}", "plate_state": "WA", "make": "FORD"},
             "driver": {"last_name": b, "first_name": "SAM", "address": {"line1": f"{n + 7} Oak Ave", "city": "Lacey", "state": "WA", "postal_code": "98503"}},
             "damage_estimate": f"{rng.randint(4, 40) * 100}.00"},
        ],
        "persons": [
            {"unit_number": 1, "role": "driver", "injury": injuries[0], "person": {"last_name": a, "first_name": "ALEX"}},
            {"unit_number": 2, "role": "driver", "injury": injuries[1], "person": {"last_name": b, "first_name": "SAM"}},
        ],
        "narrative": f"Unit 1 traveling on {rng.choice(ROADS)} failed to stop and struck unit 2. Both drivers remained at the scene.",
        "diagram": {"media_type": "image/png", "data_base64": _diagram_png(n)},
    }  # fmt: skip


def _send(credential, batch_id: str, records: list[dict]) -> list[dict]:
    from sector.feed.services import batch_ingest, parse_envelope

    body = json.dumps({"batch_id": batch_id, "sent_at": timezone.now().isoformat(), "records": records}).encode()
    return batch_ingest(credential=credential, envelope=parse_envelope(body))[1]["results"]


def seed_collisions(*, stdout=None) -> None:
    from sector.accounts.models import User
    from sector.feed.models import Batch, FeedCredential
    from sector.feed.outbox_models import Destination
    from sector.feed.services import credential_create

    from . import services
    from .models import CollisionReport, ReportingThreshold

    outbox_root = Path(getattr(settings, "DEMO_OUTBOX_DIR", Path(settings.BASE_DIR, "var", "outbox")))
    for code, name in (
        ("DOT", "WSDOT collision exchange (demo folder)"),
        ("DOL", "DOL collision exchange (demo folder)"),
    ):
        Destination.objects.get_or_create(
            code=code, defaults={"name": name, "kind": "folder", "folder": str(outbox_root / code.lower()), "url": ""}
        )
    ReportingThreshold.objects.get_or_create(effective_from="2000-01-01", defaults={"amount": "1000.00"})
    credential = (
        FeedCredential.objects.filter(system=DEMO_SYSTEM).first()
        or credential_create(system=DEMO_SYSTEM, record_types=["collision"], agencies=None)[0]
    )
    if Batch.objects.filter(system=DEMO_SYSTEM).exists():
        if stdout:
            stdout.write("  demo collision reports already sent")
        return
    rng = random.Random(5)
    now = timezone.now()
    records = [_record(rng, n, now) for n in range(1, 41)]
    # Errors and warnings the reviewer will see.
    records[3]["persons"][1]["unit_number"] = 3  # a person on a unit that does not exist (error)
    records[4]["units"][1]["driver"] = None  # a motor vehicle without a driver (error)
    records[4]["persons"] = records[4]["persons"][:1]
    records[5]["narrative"] = "Rear-ended."  # short narrative (warning)
    records[6]["location"]["latitude"], records[6]["location"]["longitude"] = 45.52, -122.68  # Portland (warning)
    records[7]["units"][0]["damage_estimate"], records[7]["units"][1]["damage_estimate"] = "300.00", "200.00"
    records[7]["persons"][0]["injury"] = records[7]["persons"][1]["injury"] = "O"  # under the threshold (warning)
    records[8]["units"][1]["unit_type"] = "pedestrian"  # a pedestrian with a vehicle (error)
    # Sent as the Back Office would: a batch every few reports, received an hour after the last one occurred.
    from sector.feed.services import batch_ingest, parse_envelope
    from sector.feed.validation import parse_time

    ordered = sorted(records, key=lambda r: r["occurred_at"])
    for i in range(0, len(ordered), 4):
        chunk = ordered[i : i + 4]
        received = min(parse_time(chunk[-1]["occurred_at"]) + timedelta(hours=1), now)
        body = json.dumps({"batch_id": f"DEMO-COLL-{i // 4:03d}", "sent_at": received.isoformat(), "records": chunk})
        batch_ingest(credential=credential, envelope=parse_envelope(body.encode()), received_at=received)
    reports = {r.report_number: r for r in CollisionReport.objects.filter(agency__ori="WA0340100")}
    reviewer = User.objects.filter(username="reviewer").first()
    if reviewer is None:
        return
    # Some review work: returns (two resubmitted), approvals (one supplemented), an overdue report.
    for rec in records[10:14]:
        services.report_return(
            actor=reviewer, report_id=reports[rec["report_number"]].pk,
            notes={"narrative": "Say which signal phase unit 2 had.", "units": "Unit 2's VIN is missing."},
        )  # fmt: skip
    resubmitted = [
        dict(rec, version=2, narrative=rec["narrative"] + " Unit 2 was stopped on a red signal.")
        for rec in records[10:12]
    ]
    for rec in records[14:20]:
        report = reports[rec["report_number"]]
        if report.author_id != reviewer.pk:
            services.report_approve(actor=reviewer, report_id=report.pk)
    approved = next(r for r in records[14:20] if reports[r["report_number"]].author_id != reviewer.pk)
    supplement = dict(
        approved, version=2, narrative=approved["narrative"] + " Supplement: unit 2's driver died on day 9."
    )
    supplement["persons"] = [dict(approved["persons"][0]), dict(approved["persons"][1], injury="K")]
    later = [
        *resubmitted,
        supplement,
        records[0],
        dict(records[1], agency_ori="WA9999999"),
    ]  # a re-send; an unknown agency
    _send(credential, "DEMO-COLL-LATER", later)
    if stdout:
        stdout.write(f"  40 collision reports; demo deliveries are written to {outbox_root}/dot and /dol")
