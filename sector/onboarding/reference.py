"""Reference data from the program overview (shared/docs/program-overview.md): the seven checklist steps, worded
and assigned as the overview's Implementation table has them, and requirement profile version 1 from its
Technical Specifications. The target days are the program's working assumption (the overview gives none) and
are editable in the admin. Used by migration 0002 and, after a test flush, by `ensure_reference_data`."""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from .choices import Step

STEPS = [
    # number, title (as the overview words it), responsible (as the overview words it), roles that complete it,
    # target days from the start of onboarding, done when
    (Step.OVERVIEW,
     "Provide overview and Technical Assessment Survey", "WASPC", ["waspc_coordinator"], 14,
     "Overview recorded, survey sent to the agency contact."),
    (Step.SURVEY_AND_NOTICES,
     "Complete survey; notify local court(s) & prosecutor", "Local Law Enforcement Agency (LLEA)",
     ["lasa", "agency_contact"], 60,
     "Survey submitted; each court and the prosecutor notified; each court's readiness decided by AOC or the court."),
    (Step.AGREEMENT,
     "Complete the WSP Service Level Agreement", "LLEA will be contacted by WSP", ["lasa", "agency_contact"], 90,
     "Agreement executed: signed for the agency and countersigned by WSP."),
    (Step.LASA,
     "Identify local agency system administrator (LASA)", "LLEA through WSP Support Team", ["wsp_support"], 90,
     "A LASA (and optionally a backup) proposed by the agency and approved by WSP."),
    (Step.OFFICER_TRAINING,
     "Attend sanctioned officer training event", "LLEA through WASPC Coordinator", ["waspc_coordinator"], 120,
     "The agency's required number of officers completed a sanctioned training event."),
    (Step.COURT_STAFF_TRAINING,
     "Provide training to court staff (if necessary)", "AOC", ["aoc_coordinator"], 150,
     "Staff of each court the agency files to trained, or marked not necessary with a reason."),
    (Step.ONGOING_SUPPORT,
     "Ongoing SECTOR customer support", "WSP", ["wsp_support"], None,
     "Agency live; support requests handled. Stays open while the agency is live."),
]  # fmt: skip

PROFILE_V1 = {
    "version": 1,
    "name": "SECTOR-Specific System Requirements for Officer Computer (program overview)",
    "effective_from": date(2010, 1, 1),
    "compatible_os": "Windows 2000 Professional\nWindows XP Professional & SP2\nWindows Vista\nWindows 7 Professional",
    "cpu_min_ghz": Decimal("1"),
    # The overview reads "60 GHz or greater preferable": an evident typo, kept as published and flagged in the admin.
    "cpu_preferred_ghz": Decimal("60"),
    "ram_min_gb": Decimal("1"),
    "ram_preferred_gb": Decimal("2"),
    "disk_min_gb": Decimal("1"),
    "disk_preferred_gb": Decimal("2"),
    "required_equipment": "In-car laptop computer\nInternet access",
    "recommended_equipment": (
        "2-D barcode scanner (data-entry for driver license & vehicle registration), USB - HID - connected\n"
        "Printer and paper\n"
        "Office product: any word processing application that can save documents as a .doc file"
    ),
    "client_installs": (
        "Adobe Reader 9.X or greater\nMicrosoft .NET Framework 3.5\nMicrosoft SQL Server 2008 R2\nWindows Installer 4x"
    ),
    "source": "WASPC, SECTOR Overview & Implementation Procedures: Technical Specifications.",
    # Marked doubtful: shown with the mark and never applied when a computer is evaluated.
    "doubtful": ["cpu_preferred_ghz"],
}


def ensure_reference_data(apps=None) -> None:
    """Create the steps and profile v1 if missing (idempotent; never overwrites an admin's edits)."""
    from django.apps import apps as global_apps

    apps = apps or global_apps
    ChecklistStep = apps.get_model("onboarding", "ChecklistStep")
    RequirementProfile = apps.get_model("onboarding", "RequirementProfile")
    for number, title, responsible, roles, days, done_when in STEPS:
        ChecklistStep.objects.get_or_create(
            number=int(number),
            defaults={
                "title": title,
                "responsible": responsible,
                "completed_by_roles": roles,
                "target_days": days,
                "done_when": done_when,
                "required_for_go_live": number != Step.ONGOING_SUPPORT,
            },
        )
    if not RequirementProfile.objects.filter(version=1).exists():
        published = datetime.combine(PROFILE_V1["effective_from"], time(0), tzinfo=ZoneInfo("America/Los_Angeles"))
        # Migration 0002 runs this with the historical model, which has no `doubtful` or `published_at` yet
        # (migration 0007 adds them and marks version 1).
        fields = {f.name for f in RequirementProfile._meta.get_fields()}
        values = {k: v for k, v in {**PROFILE_V1, "published_at": published}.items() if k in fields}
        RequirementProfile.objects.create(**values)


SLA_BODY = """\
This SECTOR Service Level Agreement is made between the Washington State Patrol (WSP) and $agency_name (ORI $ori), a
law enforcement agency in $county County (the Agency).

1. Purpose. SECTOR (Statewide Electronic Collision & Traffic Online Records) automates the collision and traffic
ticket reporting of the Agency's officers. Tickets are transmitted to the Administrative Office of the Courts (AOC);
after local review, collision reports are transmitted to the Department of Transportation (DOT) and the Department
of Licensing (DOL), through the WSP Back Office and the Justice Information Data Exchange (JINDEX).

2. What WSP provides. WSP provides the SECTOR client software at no cost, installs or makes available its required
components, operates the Back Office, and gives ongoing customer support through the WSP Support Team, (360)
705-5999, sector@wsp.wa.gov.

3. What the Agency provides. The Agency provides and maintains the in-car laptop or mobile computers, 2-D barcode
scanners, printers and paper, and network connection its officers use, meeting the SECTOR requirement profile in
force; names a local agency system administrator (LASA) approved by WSP; ensures its officers complete a sanctioned
training event before they use SECTOR; and reviews its collision reports before they are transmitted.

4. Records. Collision reports are confidential under RCW 46.52.080 and are used and released only as the law allows.
Each party keeps the records the law requires of it.

5. Term and renewal. This agreement takes effect when countersigned by WSP and runs for $term_months months. It is
renewed by a new agreement before the renewal date. Either party may end it with 60 days' written notice.

6. Signatures. The person signing for the Agency states that they have the authority to bind the Agency."""

TRACS_BODY = """\
This TraCS access agreement is made between the Washington State Patrol (WSP) and $agency_name (ORI $ori), a law
enforcement agency in $county County (the Agency), moving from SECTOR to TraCS.

1. Access. WSP grants the Agency's officers access to TraCS for electronic tickets and collision reports, through
the same Back Office and exchanges as SECTOR.

2. Obligations. The Agency keeps its user accounts current through its LASA, removes access of officers who leave
within one business day, and uses TraCS only for law enforcement purposes.

3. Records. Collision reports are confidential under RCW 46.52.080.

4. Term and renewal. This agreement takes effect when countersigned by WSP and runs for $term_months months,
renewable by a new agreement before the renewal date.

5. Signatures. The person signing for the Agency states that they have the authority to bind the Agency."""

AGREEMENT_TEMPLATES = [
    ("sla", 1, "SECTOR Service Level Agreement", SLA_BODY, 36),
    ("tracs", 1, "TraCS access agreement", TRACS_BODY, 36),
]


def ensure_agreement_templates(apps=None) -> None:
    from django.apps import apps as global_apps

    apps = apps or global_apps
    AgreementTemplate = apps.get_model("onboarding", "AgreementTemplate")
    for kind, version, title, body, months in AGREEMENT_TEMPLATES:
        AgreementTemplate.objects.get_or_create(
            kind=kind,
            version=version,
            defaults={"title": title, "body": body, "term_months": months, "effective_from": date(2024, 1, 1)},
        )
