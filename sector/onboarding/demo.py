"""Demo onboarding: agencies at every stage, so every screen has real content (`seed_demo`, idempotent).

lasa (Olympia PD) is surveying: a draft survey to finish and submit. lasa2 (Spokane PD) is in training: its
agreement is executed and its LASA approved. Others are new, awaiting signatures, ready, live and overdue.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from sector.orgs.models import Agency, Court

from .agreements import services as agreements
from .checklist import services
from .choices import Step
from .lasa import services as lasa
from .models import AgencyOnboarding, AgreementTemplate, OnboardingStep
from .notices import services as notices
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


def _courts_ready(survey, u):
    for n in survey.court_notices.all():
        notices.court_readiness_decide(notice=n, actor=u["aoc"], decision="will_accept",
                                       accept_from=timezone.localdate() + timedelta(days=30))  # fmt: skip


def _sla(onboarding, u, signer, *, sign=True, countersign=True):
    template = AgreementTemplate.objects.filter(kind="sla").order_by("-version").first()
    agreement = agreements.agreement_prepare(onboarding=onboarding, template=template, actor=u["wsp"])
    if sign:
        agreement = agreements.agreement_sign(
            agreement=agreement, actor=signer, name=signer.get_full_name() or "Chief of Police",
            title="Chief of Police", authority="Authorized by city council resolution.", ip="127.0.0.1",
        )  # fmt: skip
    if sign and countersign:
        agreement = agreements.agreement_countersign(agreement=agreement, actor=u["wsp"])
    return agreement


def _approve_lasa(onboarding, u, proposer, primary):
    proposal = lasa.lasa_propose(onboarding=onboarding, actor=proposer, primary_user=primary)
    lasa.lasa_decide(proposal=proposal, actor=u["wsp"], approve=True, note="Welcome aboard.")


def seed_onboarding(*, stdout=None) -> None:
    ensure_reference_data()
    ensure_agreement_templates()
    u = _users()
    agencies = {a.ori: a for a in Agency.objects.all()}
    done = set(AgencyOnboarding.objects.values_list("agency__ori", flat=True))

    def want(ori):
        return ori in agencies and ori not in done

    # Olympia PD (lasa): surveying, a draft survey with two computers to finish.
    if want("WA0340100"):
        o = _start(agencies["WA0340100"], u, 20)
        services.step_complete(
            onboarding=o, number=Step.OVERVIEW, actor=u["waspc"], note="Overview given at the chief's office."
        )
        _survey(o, u["lasa"], ["D34", "M34OLY"], lines=LINES[:2], submit=False)
    # Spokane PD (lasa2): training; agreement executed, LASA approved.
    if want("WA0320400"):
        o = _start(agencies["WA0320400"], u, 100)
        services.step_complete(
            onboarding=o, number=Step.OVERVIEW, actor=u["waspc"], note="Overview given by video call."
        )
        survey = _survey(o, u["lasa2"], ["M32SPO", "D32"])
        _courts_ready(survey, u)
        _sla(o, u, u["lasa2"])
        _approve_lasa(o, u, u["lasa2"], u["lasa2"])
    # Thurston County Sheriff: new.
    if want("WA0340000"):
        _start(agencies["WA0340000"], u, 3)
    # Tumwater PD: agreement prepared, awaiting the agency's signature.
    if want("WA0340300"):
        o = _start(agencies["WA0340300"], u, 50)
        contact = _contact(o, u, "Rosa", "Alvarez")
        survey = _survey(o, contact, ["D34", "M34TUM"])
        _courts_ready(survey, u)
        _sla(o, u, contact, sign=False)
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
        _courts_ready(survey, u)
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
