"""The ticket notice reads as a court notice: the court's name and address, the case number once filed,
every field of the ticket (milepost and offense level among them), dates in Pacific time."""

import os
from io import BytesIO

from pypdf import PdfReader

from courts import services
from tests.feed.factories import make_ticket


def notice_text(client, ticket) -> str:
    r = client.get(f"/courts/intake/tickets/{ticket.pk}/notice.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    if os.environ.get("NOTICE_PDF_OUT"):  # to look at it: NOTICE_PDF_OUT=/tmp/notice.pdf pytest this file
        with open(os.environ["NOTICE_PDF_OUT"], "wb") as f:
            f.write(r.content)
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(r.content)).pages)


def test_the_notice_carries_the_court_the_case_and_every_field_of_the_ticket(world):
    court = world.court_a
    court.address, court.phone = "2000 Lakeridge Drive SW\nOlympia, WA 98502", "(360) 786-5450"
    court.save(update_fields=["address", "phone"])
    t = make_ticket(
        issued_at="2026-11-25T10:05:00-08:00",
        agency_case_number="OPD-26-0042",
        location={"county": "Thurston", "road": "I-5", "milepost": 104.6, "city": "Olympia"},
        vehicle={"plate": "ABC1234", "plate_state": "WA", "make": "TOYT", "model": "CAMRY", "year": 2019,
                 "vin": "1HGCM82633A004352", "commercial": True},
        defendant={"last_name": "DOE", "first_name": "JANE", "middle_name": "Q", "date_of_birth": "1990-04-02",
                   "sex": "F", "address": {"line1": "12 Main St", "line2": "Apt 4", "city": "Lacey", "state": "WA",
                                            "postal_code": "98503"},
                   "licence": {"number": "WDL123456789", "state": "WA", "commercial": True}},
        violations=[{"law": "RCW 46.61.400(1)", "law_kind": "state", "offense_level": "infraction",
                     "description": "Speeding 15 mph over limit", "penalty": "1234.00", "speed": 75,
                     "posted_speed": 60, "zone": "work"},
                    {"law": "RCW 46.61.502", "law_kind": "state", "offense_level": "gross_misdemeanor",
                     "description": "Driving under the influence"}],
    )  # fmt: skip
    client = world.client_for("clerk")
    text = notice_text(client, t)
    for expected in [
        "STATE OF WASHINGTON", "THURSTON COUNTY DISTRICT COURT", "2000 Lakeridge Drive SW", "Olympia, WA 98502",
        "(360) 786-5450", "NOTICE OF INFRACTION", "Not yet filed", t.ticket_number, "OPD-26-0042",
        "Milepost 104.6", "I-5", "Olympia, Thurston County", "Offense level", "Infraction", "Gross misdemeanor",
        "Work zone", "75 mph in a 60 mph zone", "$1,234.00", "ABC1234, WA", "1HGCM82633A004352", "commercial vehicle",
        "DOE, JANE Q", "April 2, 1990", "Female", "12 Main St, Apt 4, Lacey, WA 98503", "commercial (CDL)",
        "Wednesday, November 25, 2026, 10:05 AM PST",
        "Monday, December 28, 2026", "Moved from Fri Dec 25 (Christmas Day) to Mon Dec 28",
        "Times are Pacific time",
    ]:  # fmt: skip
        assert expected in text, expected
    t = services.ticket_accept(ticket=t, actor=world.users["clerk"], case_number="D34-26-000777")
    text = notice_text(client, t)
    assert "D34-26-000777" in text and "Not yet filed" not in text
    assert text.count("D34-26-000777") == 1
