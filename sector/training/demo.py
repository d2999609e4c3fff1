"""Demo training: completed sanctioned events (Spokane's officers; Olympia's demo officer, whose account is
activated only then), upcoming events with seats."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from sector.onboarding.lasa import services as lasa
from sector.orgs.models import Agency, Court, Person

from . import services
from .models import TrainingEvent

User = get_user_model()


def _event(u, who, kind, title, days, capacity, place, trainer):
    existing = TrainingEvent.objects.filter(title=title).first()
    if existing:
        return existing, False
    start = (timezone.localtime() + timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0)
    return services.event_create(actor=u[who], kind=kind, title=title, starts_at=start, place=place,
                                 capacity=capacity, trainer=trainer), True  # fmt: skip


def seed_training(*, stdout=None) -> None:
    u = {x.username: x for x in User.objects.filter(username__in=["waspc", "aoc", "lasa", "lasa2", "officer"])}
    # Spokane's officers completed a sanctioned event last month: step 5 completes for lasa2's agency.
    past, created = _event(u, "waspc", "sanctioned", "Sanctioned SECTOR officer training — Spokane", -30, 12,
                           "Spokane Police Academy", "Joan Smith (WASPC)")  # fmt: skip
    if created:
        spokane = list(Person.objects.filter(agency__ori="WA0320400", kind="officer").order_by("id")[:2])
        regs = [services.registration_add(event=past, person=p, actor=u["lasa2"]) for p in spokane]
        services.attendance_mark(event=past, actor=u["waspc"], attended_ids={r.pk for r in regs})
        services.event_complete(event=past, actor=u["waspc"])
    # Olympia's demo officer (Maria Delgado) trained at an early session: only then is her account activated,
    # as the gate requires (no demo officer is active without a completed sanctioned training).
    early, created = _event(u, "waspc", "sanctioned", "Sanctioned SECTOR officer training — Olympia field trainers",
                            -45, 8, "Olympia Police Department, Olympia", "Joan Smith (WASPC)")  # fmt: skip
    if created:
        officer = Person.objects.get(user=u["officer"])
        reg = services.registration_add(event=early, person=officer, actor=u["lasa"])
        services.attendance_mark(event=early, actor=u["waspc"], attended_ids={reg.pk})
        services.event_complete(event=early, actor=u["waspc"])
    if not User.objects.get(pk=u["officer"].pk).is_active:
        lasa.agency_user_activate(agency=Agency.objects.get(ori="WA0340100"), actor=u["lasa"],
                                  target_id=u["officer"].pk)  # fmt: skip
    # Upcoming: a sanctioned event with two of Olympia's untrained officers registered; court staff training.
    upcoming, created = _event(u, "waspc", "sanctioned", "Sanctioned SECTOR officer training — Lacey", 14, 16,
                               "WASPC, 3060 Willamette Drive NE, Lacey", "Joan Smith (WASPC)")  # fmt: skip
    if created:
        untrained = Person.objects.filter(agency__ori="WA0340100", kind="officer", training_records__isnull=True)
        for p in untrained.order_by("id")[:2]:
            services.registration_add(event=upcoming, person=p, actor=u["lasa"])
    court_event, created = _event(u, "aoc", "court_staff", "E-ticket intake for court staff", 21, 20,
                                  "AOC, Olympia", "Lori Murphy (AOC)")  # fmt: skip
    if created:
        for code in ("M32SPO",):
            court = Court.objects.filter(code=code).first()
            for p in Person.objects.filter(court=court).order_by("id")[:1]:
                services.registration_add(event=court_event, person=p, actor=u["aoc"])
    if stdout:
        stdout.write(f"training: {TrainingEvent.objects.count()} events")
