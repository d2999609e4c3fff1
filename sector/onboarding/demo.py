"""Demo onboarding: agencies at every stage, so every screen has real content (`seed_demo`, idempotent).

One story: the agencies whose tickets reach the courts (Olympia PD, lasa's; Spokane PD, lasa2's) are live,
and each court they file to decided, in the past, to accept their e-tickets. Their officers and court staff
were trained at past events (sector.training.demo), after which `seed_go_live` takes them live. Tumwater PD
is surveying (its contact has a draft survey to finish); the others are new, awaiting WSP's countersignature,
ready, live (Yakima, trained before the portal) and overdue.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from sector.core.demo_files import demo_file_cleared, demo_file_recorded
from sector.orgs.models import Agency, Court

from .agreements import services as agreements
from .checklist import services
from .choices import Step
from .lasa import services as lasa
from .models import AgencyOnboarding, AgreementTemplate, OnboardingStep, ProsecutorNotice, RequirementProfile
from .notices import services as notices
from .profiles import services as profiles
from .reference import ensure_agreement_templates, ensure_reference_data
from .survey import services as svc

User = get_user_model()

LINES = [
    {"model": "Panasonic Toughbook CF-31", "os": "Windows 7 Professional", "cpu_ghz": Decimal("2.5"),
     "ram_gb": Decimal("4"), "disk_free_gb": Decimal("120"), "quantity": 12, "barcode_scanner": True, "printer": True},
    {"model": "Getac B360", "os": "Windows 11 Pro", "cpu_ghz": Decimal("2.4"), "ram_gb": Decimal("16"),
     "disk_free_gb": Decimal("200"), "quantity": 20, "barcode_scanner": True, "printer": True},
    {"model": "Dell Latitude D630", "os": "Windows XP Professional & SP2", "cpu_ghz": Decimal("0.9"),
     "ram_gb": Decimal("0.5"), "disk_free_gb": Decimal("8"), "quantity": 2, "barcode_scanner": False, "printer": False},
]  # fmt: skip


# An example of what a current officer laptop needs, published by the demo's WSP user so today's computers
# evaluate as they would today. Labeled as an example: WSP replaces it with its own figures.
EXAMPLE_PROFILE = {
    "name": "Current officer computer (example for WSP to replace)",
    "compatible_os": "Windows 10 Pro\nWindows 10 Enterprise\nWindows 11 Pro\nWindows 11 Enterprise",
    "cpu_min_ghz": Decimal("1.5"),
    "cpu_preferred_ghz": Decimal("2.0"),
    "ram_min_gb": Decimal("4"),
    "ram_preferred_gb": Decimal("8"),
    "disk_min_gb": Decimal("20"),
    "disk_preferred_gb": Decimal("64"),
    "source": "Example figures for a current Windows laptop, not published by WSP. Replace them by publishing a new "
    "version.",
}


def _example_profile(u) -> None:
    if RequirementProfile.objects.filter(example=True).exists() or RequirementProfile.objects.count() > 1:
        return
    draft = profiles.profile_draft_create(actor=u["wsp"])
    values = {name: getattr(draft, name) for name in profiles.EDITABLE}
    profiles.profile_draft_update(profile=draft, actor=u["wsp"], values={**values, **EXAMPLE_PROFILE}, doubtful=[])
    RequirementProfile.objects.filter(pk=draft.pk).update(example=True)
    profiles.profile_publish(profile=draft, actor=u["wsp"])


def _users():
    return {u.username: u for u in User.objects.filter(username__in=["waspc", "wsp", "aoc", "lasa", "lasa2", "clerk"])}


def _start(agency: Agency, u, days_ago: int) -> AgencyOnboarding:
    onboarding = services.onboarding_start(agency=agency, actor=u["waspc"])
    if days_ago:
        started = timezone.now() - timedelta(days=days_ago)
        AgencyOnboarding.objects.filter(pk=onboarding.pk).update(started_at=started)
        for step in OnboardingStep.objects.filter(onboarding=onboarding).select_related("step"):
            if (due := OnboardingStep.due_for(timezone.localdate(started), step.step.target_days)) is not None:
                step.due_on = due.day
                step.save(update_fields=["due_on"])
        onboarding.refresh_from_db()
    return onboarding


def _contact(onboarding, u, first, last):
    email = f"{first.lower()}.{last.lower()}@{onboarding.agency.ori.lower()}.example.wa.gov"
    return lasa.contact_invite(onboarding=onboarding, actor=u["waspc"], overview_on=timezone.localdate(), note="",
                               first_name=first, last_name=last, email=email)  # fmt: skip


def _survey(onboarding, user, courts, *, lines=LINES, submit=True):
    survey = svc.survey_for(onboarding)
    agency = onboarding.agency
    svc.survey_save(
        survey=survey, actor=user,
        data={"contact_name": user.get_full_name() or user.username, "contact_title": "Records Sergeant",
              "contact_email": user.email, "contact_phone": "(360) 555-0142", "sworn_officers": 64,
              "vehicles_with_laptops": 34, "in_car_wireless": "cellular", "office_network": "City fiber to the station",
              "records_system": agency.records_system, "prosecutor_name": "Dana Whitcomb",
              "prosecutor_office": f"{agency.county} County Prosecuting Attorney",
              "prosecutor_email": f"prosecutor@{agency.county.lower().replace(' ', '')}.example.wa.gov",
              "it_signoff_name": "Ivy Tran", "it_signoff_title": "IT Manager"},
        courts=list(Court.objects.filter(code__in=courts)), it_confirmed=True,
    )  # fmt: skip
    for line in lines:
        svc.inventory_line_add(survey=survey, actor=user, fields=dict(line))
    if submit:
        svc.survey_submit(survey=survey, actor=user)
        survey.refresh_from_db()
    return survey


def _courts_ready(survey, u, *, days_ago: int | None = None):
    """Every court of jurisdiction will accept the agency's e-tickets: from 30 days on, or, for an agency that
    files today, notified `days_ago`, decided five days later and accepting from two weeks after the notice."""
    if days_ago is None:
        for n in survey.court_notices.all():
            notices.court_readiness_decide(notice=n, actor=u["aoc"], decision="will_accept",
                                           accept_from=timezone.localdate() + timedelta(days=30))  # fmt: skip
        return
    notified = timezone.now() - timedelta(days=days_ago)
    for n in survey.court_notices.all():
        notices.court_readiness_decide(notice=n, actor=u["aoc"], decision="will_accept",
                                       accept_from=timezone.localdate(notified) + timedelta(days=14))  # fmt: skip
    survey.court_notices.update(created_at=notified, decided_at=notified + timedelta(days=5))
    survey.court_notices.exclude(emailed_at=None).update(emailed_at=notified)
    ProsecutorNotice.objects.filter(survey=survey).update(created_at=notified)


def _sla(onboarding, u, signer, *, sign=True, countersign=True):
    template = AgreementTemplate.objects.filter(kind="sla").order_by("-version").first()
    agreement = agreements.agreement_prepare(onboarding=onboarding, template=template, actor=u["wsp"])
    if sign:
        agreement = agreements.agreement_sign(
            agreement=agreement, actor=signer, name=signer.get_full_name() or "Chief of Police",
            title="Chief of Police", authority="Authorized by city council resolution.", ip="127.0.0.1",
        )  # fmt: skip
    if sign and countersign:
        # A fresh database over a media store that still holds an earlier seed's executed PDF: clear the
        # seed's own file first (only if the seed wrote it, unchanged), then record the new one.
        field = agreement.executed_pdf
        demo_file_cleared(field.storage, field.field.generate_filename(agreement, f"executed-{agreement.kind}.pdf"))
        agreement = agreements.agreement_countersign(agreement=agreement, actor=u["wsp"])
        demo_file_recorded(agreement.executed_pdf.storage, agreement.executed_pdf.name, agreement.executed_sha256)
    return agreement


def _approve_lasa(onboarding, u, proposer, primary):
    proposal = lasa.lasa_propose(onboarding=onboarding, actor=proposer, primary_user=primary)
    lasa.lasa_decide(proposal=proposal, actor=u["wsp"], approve=True, note="Welcome aboard.")


def seed_onboarding(*, stdout=None) -> None:
    ensure_reference_data()
    ensure_agreement_templates()
    u = _users()
    _example_profile(u)
    agencies = {a.ori: a for a in Agency.objects.all()}
    done = set(AgencyOnboarding.objects.values_list("agency__ori", flat=True))

    def want(ori):
        return ori in agencies and ori not in done

    # Olympia PD (lasa): files to D34 and M34OLY; steps 1-4 here, training next, then live (seed_go_live).
    if want("WA0340100"):
        o = _start(agencies["WA0340100"], u, 300)
        services.step_complete(
            onboarding=o, number=Step.OVERVIEW, actor=u["waspc"], note="Overview given at the chief's office."
        )
        survey = _survey(o, u["lasa"], ["D34", "M34OLY"], lines=LINES[:2])
        _courts_ready(survey, u, days_ago=280)
        _sla(o, u, u["lasa"])
        _approve_lasa(o, u, u["lasa"], u["lasa"])
    # Spokane PD (lasa2): files to M32SPO and D32; the same way, a few months later.
    if want("WA0320400"):
        o = _start(agencies["WA0320400"], u, 120)
        services.step_complete(
            onboarding=o, number=Step.OVERVIEW, actor=u["waspc"], note="Overview given by video call."
        )
        survey = _survey(o, u["lasa2"], ["M32SPO", "D32"])
        _courts_ready(survey, u, days_ago=100)
        _sla(o, u, u["lasa2"])
        _approve_lasa(o, u, u["lasa2"], u["lasa2"])
    # Thurston County Sheriff: new.
    if want("WA0340000"):
        _start(agencies["WA0340000"], u, 3)
    # Tumwater PD: surveying; its contact has a draft survey with two computers to finish and submit.
    if want("WA0340300"):
        o = _start(agencies["WA0340300"], u, 20)
        contact = _contact(o, u, "Rosa", "Alvarez")
        _survey(o, contact, ["D34", "M34TUM"], lines=LINES[:2], submit=False)
    # Bellingham PD: signed by the agency, awaiting WSP's countersignature; a LASA proposal awaiting WSP.
    if want("WA0370100"):
        o = _start(agencies["WA0370100"], u, 70)
        contact = _contact(o, u, "Henry", "Okoye")
        survey = _survey(o, contact, ["M37BEL"])
        _courts_ready(survey, u)
        _sla(o, u, contact, countersign=False)
        lasa.lasa_propose(onboarding=o, actor=contact, primary_user=contact)
    # Lacey PD: steps 1–6 done, ready for go-live.
    if want("WA0340200"):
        o = _start(agencies["WA0340200"], u, 160)
        contact = _contact(o, u, "Mia", "Sorensen")
        survey = _survey(o, contact, ["M34LAC"])
        _courts_ready(survey, u)
        _sla(o, u, contact)
        _approve_lasa(o, u, contact, contact)
        services.step_complete(
            onboarding=o,
            number=Step.OFFICER_TRAINING,
            actor=u["waspc"],
            note="Four officers trained at the 2024 event.",
        )
        services.step_complete(
            onboarding=o,
            number=Step.COURT_STAFF_TRAINING,
            actor=u["aoc"],
            note="Not necessary: Lacey court staff trained.",
        )
    # Yakima PD: live.
    if want("WA0390500"):
        o = _start(agencies["WA0390500"], u, 300)
        contact = _contact(o, u, "Luis", "Ortega")
        survey = _survey(o, contact, ["D39"])
        _courts_ready(survey, u, days_ago=280)
        _sla(o, u, contact)
        _approve_lasa(o, u, contact, contact)
        services.step_complete(
            onboarding=o, number=Step.OFFICER_TRAINING, actor=u["waspc"], note="Six officers trained."
        )
        services.step_complete(
            onboarding=o, number=Step.COURT_STAFF_TRAINING, actor=u["aoc"], note="Yakima court staff trained in 2023."
        )
        services.onboarding_go_live(onboarding=o, actor=u["wsp"])
    # Kent PD: surveying for months; step 2 overdue.
    if want("WA0171200"):
        o = _start(agencies["WA0171200"], u, 75)
        _contact(o, u, "Grace", "Kim")
    if stdout:
        stdout.write(f"onboarding: {AgencyOnboarding.objects.count()} agencies in onboarding")


# Agencies taken live after their officers and court staff trained (sector.training.demo), and since when.
GO_LIVE = {"WA0340100": 150, "WA0320400": 45}


def seed_go_live(*, stdout=None) -> None:
    """Runs after the training demo: WSP takes Olympia and Spokane live, dated in the story's past."""
    wsp = User.objects.filter(username="wsp").first()
    for onboarding in AgencyOnboarding.objects.filter(agency__ori__in=GO_LIVE, live_at=None).select_related("agency"):
        if services.go_live_blockers(onboarding):
            continue
        services.onboarding_go_live(onboarding=onboarding, actor=wsp)
        when = timezone.now() - timedelta(days=GO_LIVE[onboarding.agency.ori])
        AgencyOnboarding.objects.filter(pk=onboarding.pk).update(live_at=when)
    if stdout:
        stdout.write(f"onboarding: {AgencyOnboarding.objects.filter(stage='live').count()} agencies live")
