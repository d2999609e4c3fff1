"""Realistic demo tickets, sent through the same ingest service the API uses (seed_demo, simulate_feed, bench)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

PT = ZoneInfo("America/Los_Angeles")

# (ori, prefix, officers, courts)
SENDERS = [
    (
        "WA0340100",
        "5A",
        [("Ofc. Maria Delgado", "OPD-1142"), ("Ofc. Kevin Oduya", "OPD-1203"), ("Ofc. Hannah Pryce", "OPD-1219")],
        ["D34", "M34OLY"],
    ),
    ("WA0340000", "6T", [("Dep. Chris Lund", "TCSO-311"), ("Dep. Ana Ruiz", "TCSO-402")], ["D34"]),
    ("WA0340300", "7W", [("Ofc. Lee Park", "TPD-77")], ["M34TUM", "D34"]),
    ("WA0320400", "8S", [("Ofc. Erin Walsh", "SPD-2231"), ("Ofc. Dmitri Volkov", "SPD-2475")], ["M32SPO", "D32"]),
]
LAST = [
    "JOHNSON",
    "NGUYEN",
    "GARCIA",
    "SMITH",
    "MARTINEZ",
    "LEE",
    "PATEL",
    "ANDERSON",
    "KIM",
    "WILSON",
    "O'BRIEN",
    "TRAN",
    "LOPEZ",
    "BROWN",
    "HALL",
]
FIRST = ["ALEX", "JORDAN", "TAYLOR", "SAM", "CHRIS", "MORGAN", "RILEY", "CASEY", "JAMIE", "DREW", "PAT", "AVERY"]
ROADS = [
    ("I-5 NB", 105.2, 47.03, -122.9),
    ("US-101", 364.0, 47.05, -122.95),
    ("SR 8 WB", 20.1, 46.99, -123.1),
    ("I-90 EB", 281.5, 47.66, -117.4),
]
VIOLATIONS = [
    ("RCW 46.61.400(1)", "infraction", "Speeding {over} mph over the limit", "infraction", True),
    ("RCW 46.61.688", "infraction", "Failure to wear a safety belt", "infraction", True),
    ("RCW 46.61.667", "infraction", "Using a wireless device while driving", "infraction", True),
    ("RCW 46.20.342(1)(c)", "misdemeanor", "Driving while license suspended, third degree", "criminal", True),
    ("RCW 46.61.502", "gross_misdemeanor", "Driving under the influence", "criminal", True),
    ("RCW 70.93.060", "infraction", "Littering (civil infraction)", "civil_infraction", False),
]
CERT = (
    "I certify under penalty of perjury under the laws of the State of Washington that I have reasonable grounds "
    "to believe the person named committed the offense(s) described."
)


def ticket_record(rng: random.Random, *, number: str, ori: str, officer, court: str, issued: datetime) -> dict:
    law, level, desc, kind, traffic = rng.choice(VIOLATIONS)
    over = rng.randint(5, 30)
    road, mp, lat, lon = rng.choice(ROADS)
    juvenile = rng.random() < 0.03
    born = issued.year - (rng.randint(13, 15) if juvenile else rng.randint(17, 80))
    violation = {
        "law": law,
        "law_kind": "state",
        "offense_level": level,
        "traffic": traffic,
        "description": desc.format(over=over),
    }
    if "400" in law:
        violation.update({"speed": 60 + over, "posted_speed": 60, "penalty": f"{100 + over * 9}.00"})
    elif level == "infraction":
        violation["penalty"] = rng.choice(["136.00", "48.00", "250.00"])
    rec = {
        "type": "ticket",
        "ticket_number": number,
        "version": 1,
        "kind": kind,
        "agency_ori": ori,
        "agency_case_number": f"{ori[-4:]}-{issued:%y}-{rng.randint(1000, 9999)}",
        "officer": {"name": officer[0], "personnel_number": officer[1]},
        "court_code": court,
        "issued_at": issued.astimezone(PT).replace(microsecond=0).isoformat(),
        "certification": {"statement": CERT, "place": "Olympia, WA" if ori.startswith("WA034") else "Spokane, WA"},
        "service": rng.choices(["personal", "vehicle", "mail"], weights=[8, 1, 1])[0],
        "in_custody": kind == "criminal" and rng.random() < 0.12,
        "appearance": None,
        "location": {"county": "Thurston" if ori.startswith("WA034") else "Spokane", "road": road, "milepost": mp},
        "defendant": {
            "last_name": rng.choice(LAST),
            "first_name": rng.choice(FIRST),
            "date_of_birth": f"{born}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "sex": rng.choice(["M", "F", "X", "U"]),
            "address": {
                "line1": f"{rng.randint(10, 9999)} {rng.choice(['Main', 'Oak', 'Pine', 'Capitol'])} St",
                "city": "Olympia",
                "state": "WA",
                "postal_code": "98501",
            },
            "licence": {"number": f"WDL{rng.randint(10**8, 10**9 - 1)}", "state": "WA", "commercial": False},
        },
        "vehicle": {
            "plate": f"{rng.choice('ABCDEFG')}{rng.randint(100, 999)}{rng.choice('XYZ')}{rng.randint(1, 9)}",
            "plate_state": "WA",
            "make": rng.choice(["TOYT", "FORD", "HOND", "CHEV"]),
            "year": rng.randint(2000, 2025),
        },
        "violations": [violation],
        "void": False,
    }
    if kind == "criminal" and not rec["in_custody"] and rng.random() < 0.5:
        rec["appearance"] = {
            "at": (issued + timedelta(days=rng.randint(7, 30)))
            .astimezone(PT)
            .replace(hour=9, minute=0, second=0, microsecond=0)
            .isoformat(),
            "location": "Courtroom 2",
        }
    return rec


# The demo's senders: only agencies live with the courts they file to (sector.onboarding.demo tells that story).
LIVE_SENDERS = [s for s in SENDERS if s[0] in ("WA0340100", "WA0320400")]


def generate(rng: random.Random, *, count: int, start: int, now: datetime, spread_days: float = 14.0, senders=None):
    """`count` (record, received_at) pairs with numbers from `start`; receipt spread over the last days."""
    senders = senders or SENDERS
    out = []
    for i in range(count):
        ori, prefix, officers, courts = senders[i % len(senders)]
        received = now - timedelta(days=spread_days * (count - i) / count, minutes=rng.randint(0, 59))
        delay = timedelta(hours=rng.uniform(0.2, 40)) if rng.random() > 0.08 else timedelta(days=rng.uniform(8, 12))
        issued = received - delay
        number = f"{prefix}{start + i:07d}"
        out.append(
            (
                ticket_record(
                    rng, number=number, ori=ori, officer=rng.choice(officers), court=rng.choice(courts), issued=issued
                ),
                received,
            )
        )
    return out
