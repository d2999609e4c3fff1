"""Capacity holds when two coordinators register the last seat at the same moment (PostgreSQL row lock)."""

import threading

import pytest
from django.db import connection

from sector.onboarding.reference import ensure_agreement_templates, ensure_reference_data
from sector.training import services
from tests.training.helpers import event, officer


@pytest.mark.django_db(transaction=True)
def test_two_registrations_for_the_last_seat_give_one_seat(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locking is PostgreSQL's; SQLite serializes writers instead")
    ensure_reference_data()
    ensure_agreement_templates()
    ev = event(world, capacity=1, days=5)
    people = [officer(world), officer(world)]
    users = [world.users["lasa"], world.users["waspc"]]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def register(person, user):
        from django.db import connections

        try:
            barrier.wait()
            services.registration_add(event=ev, person=person, actor=user)
            outcomes.append("registered")
        except services.TrainingError as exc:
            outcomes.append(str(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(p, u)) for p, u in zip(people, users, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["The event is full: 1 of 1 seats are taken.", "registered"]
    assert ev.registrations.count() == 1
