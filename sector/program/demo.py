"""Demo program office (`seed_demo`, idempotent): Olympia PD (lasa's) is moving to TraCS — WSP prepared its
TraCS access agreement for the LASA to sign, two of its officers retrained on TraCS, its pilot TraCS sender
(TRACS-PILOT-DEMO) covers it and the Back Office's demo sender is refused after the cut-over; Yakima PD's
cut-over is planned after the program deadline, so the board flags it. Kent PD's overdue step is there for the
bulk reminder, and static/program/onboarding-example.csv starts Tulalip and Yelm from the spreadsheet."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from sector.onboarding.agreements import services as agreements
from sector.onboarding.choices import AgreementKind
from sector.onboarding.models import AgencyOnboarding, Agreement, AgreementTemplate
from sector.orgs.models import Agency, Person
from sector.training import services as training
from sector.training.choices import EventKind
from sector.training.models import TrainingEvent

from . import services
from .models import TracsMigration
from .selectors import program_deadline

User = get_user_model()

OLYMPIA, YAKIMA = "WA0340100", "WA0390500"
RETRAINED = ["OPD-1142", "OPD-0871"]
DEMO_OLD_SENDER = "WSP-BACKOFFICE-DEMO"  # citations.demo_seed's statewide demo sender
DEMO_NEW_SENDER = "TRACS-PILOT-DEMO"  # citations.demo_seed's TraCS pilot, scoped to Olympia


def seed_program(*, stdout=None) -> None:
    u = {x.username: x for x in User.objects.filter(username__in=["waspc", "wsp", "lasa"])}
    if "waspc" not in u:
        return
    agencies = {a.ori: a for a in Agency.objects.filter(ori__in=[OLYMPIA, YAKIMA])}
    today = timezone.localdate()
    olympia = agencies.get(OLYMPIA)
    if olympia and not TracsMigration.objects.filter(agency=olympia).exists():
        services.migration_open(
            agency=olympia,
            cutover_on=today + timedelta(days=90),
            actor=u["waspc"],
            note="Pilot agency: TraCS laptops arrive in the spring.",
            old_system=DEMO_OLD_SENDER,
            new_system=DEMO_NEW_SENDER,
        )
        onboarding = AgencyOnboarding.objects.filter(agency=olympia).first()
        template = AgreementTemplate.objects.filter(kind=AgreementKind.TRACS).order_by("-version").first()
        if (
            onboarding
            and template
            and "wsp" in u
            and not Agreement.objects.filter(onboarding=onboarding, kind=AgreementKind.TRACS).exists()
        ):
            agreements.agreement_prepare(onboarding=onboarding, template=template, actor=u["wsp"])
        title = "TraCS officer training — Olympia"
        if not TrainingEvent.objects.filter(title=title).exists():
            start = (timezone.localtime() - timedelta(days=10)).replace(hour=9, minute=0, second=0, microsecond=0)
            event = training.event_create(
                actor=u["waspc"], kind=EventKind.TRACS, title=title, starts_at=start,
                place="Olympia Police Department", capacity=12, trainer="Joan Smith (WASPC)",
            )  # fmt: skip
            people = Person.objects.filter(agency=olympia, personnel_number__in=RETRAINED).order_by("id")
            regs = [training.registration_add(event=event, person=p, actor=u["waspc"]) for p in people]
            training.attendance_mark(event=event, actor=u["waspc"], attended_ids={r.pk for r in regs})
            training.event_complete(event=event, actor=u["waspc"])
    yakima = agencies.get(YAKIMA)
    if yakima and not TracsMigration.objects.filter(agency=yakima).exists():
        services.migration_open(
            agency=yakima,
            cutover_on=max(program_deadline() + timedelta(days=45), today + timedelta(days=1)),
            actor=u["waspc"],
            note="The city's laptop replacement is budgeted for the next fiscal year.",
        )
    if stdout:
        stdout.write(f"program office: {TracsMigration.objects.count()} TraCS migrations")
