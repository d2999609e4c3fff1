"""The periodic probe the two-node test's beats fire (CELERY_IMPORTS in tests/ops/two_nodes_settings.py).

The beats run for the whole module; the probe does nothing until the test sets PROBE_ON in the broker's
Redis. From then on every firing is written to the audit log ("tests.periodic_probe.fired", with the beat that
sent it); only the firing that wins the portal's own once-per-slot claim (sector.core.periodic.claim_slot, what
`once_per_slot` does for every periodic task) writes "tests.periodic_probe.ran" with the slot it claimed. The
test reads both from the database."""

from datetime import timedelta

import redis
from celery import shared_task
from django.conf import settings
from django.utils import timezone

from sector.core.audit import log_action
from sector.core.periodic import SKIPPED, claim_slot, slot_start

PROBE_PERIOD = timedelta(seconds=2)
PROBE_ON = "tests:two-nodes:probe-on"


@shared_task(ignore_result=True)
def periodic_probe_task(beat: str = "") -> str:
    if not redis.Redis.from_url(settings.CELERY_BROKER_URL).exists(PROBE_ON):
        return "off"
    log_action("tests.periodic_probe.fired", actor_name="two-node probe", data={"beat": beat})
    now = timezone.now()
    if not claim_slot("tests.periodic_probe", period=PROBE_PERIOD, now=now):
        return SKIPPED
    slot = slot_start(period=PROBE_PERIOD, now=now)
    log_action("tests.periodic_probe.ran", actor_name="two-node probe", data={"slot": slot.isoformat(), "beat": beat})
    return "ran"
