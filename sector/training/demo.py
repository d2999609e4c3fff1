"""Demo training, in the onboarding story's order (sector.onboarding.demo): Olympia's and Spokane's officers
and the staff of the courts they file to trained at past events, completing steps 5 and 6 before the two go
live; upcoming events with the officers and court staff still to train registered."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from sector.onboarding.lasa import services as lasa
from sector.onboarding.models import AgencyOnboarding
from sector.orgs.models import Agency, Court, Person

from . import services
from .models import TrainingEvent

User = get_user_model()

OLYMPIA, SPOKANE = "WA0340100", "WA0320400"
# Officers trained at the past events (personnel numbers) and the target WASPC set for each agency.
TRAINED = {OLYMPIA: ["OPD-1142", "OPD-0871", "OPD-1203", "OPD-1219"], SPOKANE: ["SPD-2231", "SPD-2475"]}
# Court staff the registry lacked until AOC trained them (the demo platform names staff of D34 and M32SPO only).
MORE_STAFF = [("M34OLY", "Nora", "Quinn"), ("D32", "Isaac", "Ferreira"), ("M34TUM", "Ruth", "Abara")]


def _event(u, who, kind, title, days, capacity, place, trainer):
    existing = TrainingEvent.objects.filter(title=title).first()
    if existing:
        return existing, False
    start = (timezone.localtime() + timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0)
    return services.event_create(actor=u[who], kind=kind, title=title, starts_at=start, place=place,
                                 capacity=capacity, trainer=trainer), True  # fmt: skip


def _hold(event, people, *, registrar, runner) -> None:
    regs = [services.registration_add(event=event, person=p, actor=registrar) for p in people]
    services.attendance_mark(event=event, actor=runner, attended_ids={r.pk for r in regs})
    services.event_complete(event=event, actor=runner)


def seed_training(*, stdout=None) -> None:
    u = {x.username: x for x in User.objects.filter(username__in=["waspc", "aoc", "lasa", "lasa2"])}
    for code, first, last in MORE_STAFF:
        court = Court.objects.filter(code=code).first()
        if court:
            Person.objects.get_or_create(
                court=court, first_name=first, last_name=last, defaults={"kind": "court_staff"}
            )
    # WASPC's targets: the officers to train before go-live (their surveys report 64 sworn officers each).
    for ori, numbers in TRAINED.items():
        onboarding = AgencyOnboarding.objects.filter(agency__ori=ori).first()
        if onboarding and onboarding.required_trained_officers is None:
            services.officer_target_set(onboarding=onboarding, actor=u["waspc"], target=len(numbers))
    sessions = [
        (OLYMPIA, "lasa", "Sanctioned SECTOR officer training — Olympia", -200, "Olympia Police Department"),
        (SPOKANE, "lasa2", "Sanctioned SECTOR officer training — Spokane", -70, "Spokane Police Academy"),
    ]
    for ori, registrar, title, days, place in sessions:
        event, created = _event(u, "waspc", "sanctioned", title, days, 12, place, "Joan Smith (WASPC)")
        if created:
            people = Person.objects.filter(agency__ori=ori, personnel_number__in=TRAINED[ori]).order_by("id")
            _hold(event, people, registrar=u[registrar], runner=u["waspc"])
    # Olympia's demo officer (Maria Delgado, OPD-1142) is activated by her LASA only now that her sanctioned
    # training is recorded, as the gate requires: no demo officer is active without it.
    officer = User.objects.filter(username="officer", is_active=False).first()
    if officer:
        lasa.agency_user_activate(agency=Agency.objects.get(ori=OLYMPIA), actor=u["lasa"], target_id=officer.pk)
    # Court staff of every court Olympia and Spokane file to.
    court_event, created = _event(u, "aoc", "court_staff", "E-ticket intake for court staff — Thurston and Spokane",
                                  -190, 20, "AOC, Olympia", "Lori Murphy (AOC)")  # fmt: skip
    if created:
        staff = Person.objects.filter(court__code__in=["D34", "M34OLY", "M32SPO", "D32"], active=True).order_by("id")
        _hold(court_event, staff, registrar=u["aoc"], runner=u["aoc"])
    # Upcoming: the officers still untrained, and the staff of Tumwater's court.
    upcoming, created = _event(u, "waspc", "sanctioned", "Sanctioned SECTOR officer training — Lacey", 14, 16,
                               "WASPC, 3060 Willamette Drive NE, Lacey", "Joan Smith (WASPC)")  # fmt: skip
    if created:
        for ori, registrar in ((OLYMPIA, "lasa"), (SPOKANE, "lasa2")):
            for p in Person.objects.filter(agency__ori=ori, kind="officer").exclude(personnel_number__in=TRAINED[ori]):
                services.registration_add(event=upcoming, person=p, actor=u[registrar])
    court_upcoming, created = _event(u, "aoc", "court_staff", "E-ticket intake for court staff", 21, 20,
                                     "AOC, Olympia", "Lori Murphy (AOC)")  # fmt: skip
    if created:
        for p in Person.objects.filter(court__code="M34TUM").order_by("id"):
            services.registration_add(event=court_upcoming, person=p, actor=u["aoc"])
    if stdout:
        stdout.write(f"training: {TrainingEvent.objects.count()} events")
