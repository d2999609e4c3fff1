"""Demo support requests for seed_demo: every status, some breached, with conversations and internal notes.

Idempotent: a request whose subject already exists for its organization is skipped.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sector.accounts.models import User
from sector.core.calendar import PACIFIC
from sector.orgs.models import Agency, Court

from . import services
from .forms import check_attachment
from .models import Category, Priority, SupportRequest
from .reference import ensure_reference

# org key, requester, category, priority, subject, description, raised (business days ago, hour), steps
# steps: (hours after raising, action, argument) with action in support / requester / note / move / assign
DEMO_REQUESTS = [
    ("agency:WA0340100", "lasa", "Transmission", "Urgent",
     "Tickets stuck in the outbox on three patrol laptops",
     "Since this morning's Windows update, cars 12, 14 and 19 show 'transmission pending' for every ticket.",
     1, 9, [("log", "transmission.log", None)]),
    ("agency:WA0340100", "officer", "Barcode scanner", "Normal",
     "Scanner beeps but does not fill the license fields",
     "The Honeywell scanner in car 7 reads the barcode (it beeps) but nothing appears in SECTOR.",
     0, 8, []),
    ("agency:WA0340100", "lasa", "Credentials", "High",
     "New officer cannot sign in to SECTOR",
     "Officer Hannah Pryce (OPD-1219) finished the sanctioned training last week; her credentials are refused.",
     3, 10, [(1, "assign", "wsp"),
             (2, "support", ("Thanks, we are checking her account with the Back Office team.", None)),
             (3, "note", "Account was created without the agency ORI; Back Office ticket BO-5512.")]),
    ("agency:WA0340100", "lasa", "Printing", "Normal",
     "Citations print with the barcode cut off",
     "On the Brother PocketJet printers the 2-D barcode at the bottom of the citation is cut in half.",
     6, 14, [(1, "assign", "wsp"),
             (3, "support", ("Which paper size is set in the printer preferences? A screenshot helps.", "waiting")),
             (4, "note", "Probably Letter vs Legal again; see SR from Yelm last year.")]),
    ("agency:WA0340100", "lasa", "Installation", "Low",
     "SQL Server 2008 R2 install fails on a Windows 11 laptop",
     "The SECTOR client installer stops at the SQL Server step with error 0x84B40000.",
     12, 11, [(2, "support", ("Windows 11 needs the updated client package; the link is in your email.", None)),
              (5, "requester", ("Installed with the new package, works now. Thank you.", None)),
              (6, "move", "resolved")]),
    ("agency:WA0340100", "officer", "Training", "Low",
     "Where are the slides from the October training?",
     "I missed the handout at the sanctioned training in Lacey. Can you send the slides?",
     25, 9, [(30, "support", ("The slides are on the training event page; I also emailed them to you.", "resolved")),
             (31, "move", "closed")]),
    ("agency:WA0340100", "lasa", "Transmission", "High",
     "Collision reports rejected by DOT with schema error",
     "Three collision reports from Tuesday came back with 'schema validation failed' from DOT.",
     9, 13, [(6, "support", ("JINDEX had a schema change; resend after 5 pm today.", None)),
             (40, "move", "resolved"), (41, "move", "closed")]),
    ("agency:WA0320400", "lasa2", "Transmission", "Normal",
     "TraCS export not reaching the Back Office",
     "After moving to TraCS our nightly export is not acknowledged by the Back Office.",
     2, 15, [(1, "assign", "wsp"), (2, "move", "in_progress"), (3, "note", "Their TraCS key expired; renewing.")]),
    ("agency:WA0320400", "lasa2", "Other", "Low",
     "Update our agency contact phone number",
     "Please change our contact number to (509) 625-4000.",
     4, 10, [(20, "support", ("Done. Note: contacts can also be changed by your LASA.", "resolved"))]),
    ("court:D34", "clerk", "Transmission", "High",
     "Tickets from Tumwater PD arriving twice",
     "Since Monday some Tumwater PD tickets appear twice in our intake queue with the same number.",
     1, 16, [(1, "assign", "wsp")]),
]  # fmt: skip


def _raised_at(business_days_ago: int, hour: int, now: datetime) -> datetime:
    day = now.astimezone(PACIFIC).date()
    left = business_days_ago
    while left > 0:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return datetime.combine(day, time(hour), tzinfo=PACIFIC)


def _org(key: str):
    kind, code = key.split(":")
    return Agency.objects.get(ori=code) if kind == "agency" else Court.objects.get(code=code)


def seed_support(*, stdout=None) -> None:
    ensure_reference()
    users = {u.username: u for u in User.objects.filter(username__in=["lasa", "lasa2", "officer", "clerk", "wsp"])}
    categories = {c.name: c for c in Category.objects.all()}
    priorities = {p.name: p for p in Priority.objects.all()}
    now = timezone.now()
    made = 0
    for org_key, who, category, priority, subject, description, days_ago, hour, steps in DEMO_REQUESTS:
        org = _org(org_key)
        lookup = {"agency": org} if isinstance(org, Agency) else {"court": org}
        if SupportRequest.objects.filter(subject=subject, **lookup).exists():
            continue
        raised = min(_raised_at(days_ago, hour, now), now - timedelta(minutes=30))
        files = []
        for step in steps:
            if step[0] == "log":
                text = b"2026-11-24 08:02:11 OUTBOX send failed: HTTP 503 from backoffice\r\n" * 40
                files.append(check_attachment(SimpleUploadedFile(step[1], text, content_type="text/plain")))
        sr = services.request_create(
            actor=users[who],
            category=categories[category],
            priority=priorities[priority],
            subject=subject,
            description=description,
            files=files,
            created_at=raised,
            **lookup,
        )
        for offset, action, argument in [s for s in steps if s[0] != "log"]:
            at = min(raised + timedelta(hours=offset), now - timedelta(minutes=1))
            sr.refresh_from_db()
            if action == "assign":
                services.request_triage(
                    support_request=sr,
                    actor=users["wsp"],
                    assignee=users[argument],
                    priority=sr.priority,
                    category=sr.category,
                )
            elif action == "support":
                body, status = argument
                services.request_reply(support_request=sr, actor=users["wsp"], body=body, status=status, now=at)
            elif action == "requester":
                body, _ = argument
                services.request_reply(support_request=sr, actor=users[who], body=body, now=at)
            elif action == "note":
                services.request_reply(support_request=sr, actor=users["wsp"], body=argument, internal=True, now=at)
            elif action == "move":
                services.request_move(support_request=sr, actor=users["wsp"], status=argument, now=at)
        made += 1
    if stdout:
        stdout.write(f"support: {made} demo requests added")
