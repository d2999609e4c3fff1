"""Reference data from the program overview (shared/docs/program-overview.md): the seven checklist steps, worded
and assigned as the overview's Implementation table has them, and requirement profile version 1 from its
Technical Specifications. The target days are the program's working assumption (the overview gives none) and
are editable in the admin. Used by migration 0002 and, after a test flush, by `ensure_reference_data`."""

from datetime import date
from decimal import Decimal

STEPS = [
    # number, title (as the overview words it), responsible (as the overview words it), roles that complete it,
    # target days from the start of onboarding, done when
    (1, "Provide overview and Technical Assessment Survey", "WASPC", ["waspc_coordinator"], 14,
     "Overview recorded, survey sent to the agency contact."),
    (2, "Complete survey; notify local court(s) & prosecutor", "Local Law Enforcement Agency (LLEA)", ["lasa"], 60,
     "Survey submitted; each court and the prosecutor notified; each court's readiness decided by AOC or the court."),
    (3, "Complete the WSP Service Level Agreement", "LLEA will be contacted by WSP", ["lasa"], 90,
     "Agreement executed: signed for the agency and countersigned by WSP."),
    (4, "Identify local agency system administrator (LASA)", "LLEA through WSP Support Team", ["wsp_support"], 90,
     "A LASA (and optionally a backup) proposed by the agency and approved by WSP."),
    (5, "Attend sanctioned officer training event", "LLEA through WASPC Coordinator", ["waspc_coordinator"], 120,
     "The agency's required number of officers completed a sanctioned training event."),
    (6, "Provide training to court staff (if necessary)", "AOC", ["aoc_coordinator"], 150,
     "Staff of each court the agency files to trained, or marked not necessary with a reason."),
    (7, "Ongoing SECTOR customer support", "WSP", ["wsp_support"], None,
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
}


def ensure_reference_data(apps=None) -> None:
    """Create the steps and profile v1 if missing (idempotent; never overwrites an admin's edits)."""
    from django.apps import apps as global_apps

    apps = apps or global_apps
    ChecklistStep = apps.get_model("onboarding", "ChecklistStep")
    RequirementProfile = apps.get_model("onboarding", "RequirementProfile")
    for number, title, responsible, roles, days, done_when in STEPS:
        ChecklistStep.objects.get_or_create(
            number=number,
            defaults={
                "title": title,
                "responsible": responsible,
                "completed_by_roles": roles,
                "target_days": days,
                "done_when": done_when,
                "required_for_go_live": number <= 6,
            },
        )
    if not RequirementProfile.objects.filter(version=1).exists():
        RequirementProfile.objects.create(**PROFILE_V1)
