"""Ten reviewers pressing "claim next" at the same moment on real PostgreSQL never hold the same report."""

import threading

import pytest
from django.db import connection, connections

from collisions.services import claim_next
from tests.collisions.factories import collision, store
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_ten_reviewers_claiming_concurrently_never_hold_the_same_report(world):
    assert connection.vendor == "postgresql"
    store([collision() for _ in range(25)])
    reviewers = [make_user(f"rev{i}", "collision_reviewer", agency=world.agency_a) for i in range(10)]
    barrier = threading.Barrier(10)
    claimed: dict[str, list[int]] = {}
    errors: list[BaseException] = []

    def work(user):
        try:
            mine = []
            barrier.wait()
            for _ in range(2):  # each presses twice: 20 claims over 25 reports
                report = claim_next(actor=user, agency_id=world.agency_a.pk)
                if report is not None:
                    mine.append(report.pk)
            claimed[user.username] = mine
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(u,)) for u in reviewers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    all_ids = [pk for ids in claimed.values() for pk in ids]
    assert len(all_ids) == 20, claimed
    assert len(set(all_ids)) == 20, "two reviewers hold the same report"
    from collisions.models import CollisionReport

    holders = dict(CollisionReport.objects.filter(pk__in=all_ids).values_list("pk", "claimed_by__username"))
    for username, ids in claimed.items():
        assert all(holders[pk] == username for pk in ids)
