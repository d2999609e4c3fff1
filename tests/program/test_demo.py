"""The demo has the program office's story (README): Olympia mid-migration, Yakima after the deadline, Kent
overdue; seeding again changes nothing."""

import pytest

from sector.feed.models import SenderCutover
from sector.program import selectors
from sector.program.choices import BoardState
from sector.program.models import TracsMigration
from tests.factories import run_seed_demo

pytestmark = pytest.mark.django_db


def test_the_demo_tells_the_migration_story_and_is_idempotent():
    run_seed_demo()
    run_seed_demo()
    assert TracsMigration.objects.count() == 2
    rows = {r.agency.ori: r for r in selectors.board_rows()}
    olympia = rows["WA0340100"]
    assert olympia.state == BoardState.IN_PROGRESS
    items = {i.key: i for i in olympia.items}
    assert items["sender"].done and not items["agreement"].done and not items["training"].done
    assert olympia.agency.n_trained == 2
    assert rows["WA0390500"].after_deadline
    assert rows["WA0320400"].state == BoardState.ON_TRACS
    assert SenderCutover.objects.filter(system="WSP-BACKOFFICE-DEMO", agency__ori="WA0340100").exists()
    assert "Kent Police Department" in [o.onboarding.agency_name for o in selectors.overdue_onboardings()]
