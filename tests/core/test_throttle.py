"""Rate limits shared across processes (sector/core/throttle.py) and the doors they guard: sign-in by client
address (password spraying), password reset by address and by account, the prosecutor's link, the feed per
credential. Refused anonymous attempts never fill the audit log."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sector.core.models import AuditEntry, RateCounter
from sector.core.throttle import Rate, throttle_check, throttle_hit, throttle_sweep
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def sign_in(client, username, password="wrong-password"):
    return client.post(reverse("login"), {"username": username, "password": password})


# ---------------------------------------------------------------- the counter


def test_a_rate_reads_like_count_per_period():
    assert Rate.parse("15/15m") == Rate(limit=15, seconds=900)
    assert Rate.parse("120/m") == Rate(limit=120, seconds=60)
    assert Rate.parse(" 3 / 1d ") == Rate(limit=3, seconds=86400)
    for bad in ("", "15", "0/1m", "15/0m", "15/1w", "a/1m"):
        with pytest.raises(ValueError, match="a rate is written like|at least 1"):
            Rate.parse(bad)


@pytest.mark.django_db
def test_the_counter_refuses_past_the_limit_and_opens_again_when_the_window_ends():
    rate = Rate(limit=3, seconds=60)
    verdicts = [throttle_hit(scope="t", value="10.0.0.1", rate=rate) for _ in range(4)]
    assert [v.allowed for v in verdicts] == [True, True, True, False]
    assert 1 <= verdicts[-1].retry_after <= 60
    assert not throttle_check(scope="t", value="10.0.0.1", rate=rate).allowed
    assert throttle_check(scope="t", value="10.0.0.2", rate=rate).allowed  # another key
    assert throttle_check(scope="other", value="10.0.0.1", rate=rate).allowed  # another scope
    # The key is a hash: no address in the clear.
    assert not RateCounter.objects.filter(key__contains="10.0.0.1").exists()
    RateCounter.objects.update(window_ends_at=timezone.now() - timedelta(seconds=1))
    assert throttle_hit(scope="t", value="10.0.0.1", rate=rate).count == 1


@pytest.mark.django_db
def test_checking_counts_nothing():
    rate = Rate(limit=2, seconds=60)
    for _ in range(5):
        assert throttle_check(scope="t", value="x", rate=rate).allowed
    assert throttle_hit(scope="t", value="x", rate=rate).count == 1


@pytest.mark.django_db
def test_the_sweep_forgets_counters_a_day_after_their_window():
    throttle_hit(scope="t", value="old", rate=Rate(1, 60))
    throttle_hit(scope="t", value="new", rate=Rate(1, 60))
    RateCounter.objects.filter(pk=RateCounter.objects.order_by("id").first().pk).update(
        window_ends_at=timezone.now() - timedelta(days=2)
    )
    assert throttle_sweep() == 1 and RateCounter.objects.count() == 1


_HITS = """
import django; django.setup()
from sector.core.throttle import Rate, throttle_hit
for _ in range(25):
    throttle_hit(scope="shared", value="10.9.9.9", rate=Rate(limit=1000, seconds=600))
"""


@pytest.mark.django_db(transaction=True)
def test_two_processes_share_one_count_and_lose_none(settings):
    """Two worker processes counting at once on the same key: every hit is counted (atomic in the database)."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the process test runs on PostgreSQL")
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="sector.settings.test", DATABASE_URL=url)
    procs = [subprocess.Popen([sys.executable, "-c", _HITS], cwd=ROOT, env=env) for _ in range(2)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    assert throttle_check(scope="shared", value="10.9.9.9", rate=Rate(limit=1000, seconds=600)).count == 50


_SQLITE = """
import django; django.setup()
from datetime import timedelta
from django.db import connection
from django.utils import timezone
from sector.core.models import RateCounter
from sector.core.throttle import Rate, throttle_check, throttle_hit
with connection.schema_editor() as editor:
    editor.create_model(RateCounter)
rate = Rate(limit=3, seconds=60)
hits = [throttle_hit(scope="s", value="a", rate=rate).allowed for _ in range(4)]
print(hits, throttle_check(scope="s", value="a", rate=rate).count)
RateCounter.objects.update(window_ends_at=timezone.now() - timedelta(seconds=1))
verdict = throttle_hit(scope="s", value="a", rate=rate)
print(verdict.count, 55 <= verdict.retry_after <= 60)
"""


def test_the_database_counter_works_the_same_on_sqlite(tmp_path):
    """make run's database: the same upsert, the same answers (the demo keeps its limits)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="sector.settings.test", DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    result = subprocess.run([sys.executable, "-c", _SQLITE], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)  # fmt: skip
    assert result.stdout.split("\n")[:2] == ["[True, True, True, False] 4", "1 True"], result.stderr


def _redis_or_skip(url):
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {url} (make test starts one)")


def test_the_redis_backend_counts_and_refuses_the_same_way(settings):
    url = os.environ.get("SECTOR_TEST_THROTTLE_REDIS_URL", "redis://127.0.0.1:6379/6")
    _redis_or_skip(url)
    settings.THROTTLE_REDIS_URL = url
    scope = f"t-{os.getpid()}-{timezone.now().timestamp()}"
    rate = Rate(limit=2, seconds=30)
    assert [throttle_hit(scope=scope, value="k", rate=rate).allowed for _ in range(3)] == [True, True, False]
    verdict = throttle_check(scope=scope, value="k", rate=rate)
    assert not verdict.allowed and verdict.count == 3 and 1 <= verdict.retry_after <= 30
    assert throttle_check(scope=scope, value="other", rate=rate).count == 0


# ---------------------------------------------------------------- sign-in


@pytest.mark.django_db
def test_spraying_twenty_user_names_from_one_address_is_refused(world):
    from axes.models import AccessAttempt

    sprayer = Client(REMOTE_ADDR="198.51.100.7")
    names = [f"user{i:02d}" for i in range(18)] + ["clerk", "lasa"]
    answers = [sign_in(sprayer, name) for name in names]
    codes = [r.status_code for r in answers]
    assert codes[:15] == [200] * 15 and codes[15:] == [429] * 5, codes
    refused = answers[-1]
    assert 1 <= int(refused["Retry-After"]) <= 15 * 60
    assert "Too many sign-in attempts from your network" in refused.content.decode()
    # Past the limit the password is not even checked: the right one is refused from that address too ...
    assert sign_in(sprayer, "clerk2", PASSWORD).status_code == 429
    # ... the refused attempts never reached authentication (axes saw the first 15 only) ...
    assert AccessAttempt.objects.count() == 15
    # ... and another address signs in as usual.
    assert sign_in(Client(REMOTE_ADDR="198.51.100.8"), "clerk2", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_successful_sign_ins_from_a_shared_address_are_not_counted(world):
    courthouse = "192.0.2.10"
    for _ in range(20):
        client = Client(REMOTE_ADDR=courthouse)
        assert sign_in(client, "clerk", PASSWORD).status_code == 302
    assert sign_in(Client(REMOTE_ADDR=courthouse), "clerk", "typo").status_code == 200


@pytest.mark.django_db
def test_a_thousand_refused_sign_ins_add_no_audit_entries(world):
    before = AuditEntry.objects.count()
    client = Client(REMOTE_ADDR="198.51.100.9")
    codes = {sign_in(client, f"spray{i}").status_code for i in range(1000)}
    assert codes == {200, 429}
    assert AuditEntry.objects.count() == before


# ---------------------------------------------------------------- password reset


@pytest.mark.django_db
def test_password_reset_is_limited_per_address(world, django_capture_on_commit_callbacks):
    client = Client(REMOTE_ADDR="198.51.100.20")
    with django_capture_on_commit_callbacks(execute=True):
        codes = [client.post(reverse("password_reset"), {"email": f"n{i}@example.test"}).status_code for i in range(11)]
    assert codes == [302] * 10 + [429]
    assert (
        Client(REMOTE_ADDR="198.51.100.21").post(reverse("password_reset"), {"email": "x@example.test"}).status_code
        == 302
    )


@pytest.mark.django_db
def test_password_reset_mails_one_account_three_times_an_hour_and_says_the_same_after(
    world, django_capture_on_commit_callbacks
):
    email = world.users["lasa"].email
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(5):
            answers.append(Client(REMOTE_ADDR=f"198.51.100.{30 + i}").post(reverse("password_reset"), {"email": email}))
    assert [(r.status_code, r["Location"]) for r in answers] == [(302, reverse("password_reset_done"))] * 5
    assert len(mail.outbox) == 3


# ---------------------------------------------------------------- the prosecutor's link


@pytest.mark.django_db
def test_forged_acknowledgment_links_from_one_address_are_refused_and_logged_a_bounded_number_of_times(world):
    client = Client(REMOTE_ADDR="198.51.100.40")
    codes = [client.post(reverse("onboarding:acknowledge", kwargs={"token": f"forged{i}"})).status_code
             for i in range(300)]  # fmt: skip
    assert codes[:20] == [400] * 20 and set(codes[20:]) == {429}
    assert AuditEntry.objects.filter(action="onboarding.notice.acknowledge_refused").count() == 20


@pytest.mark.django_db
def test_forged_links_from_many_addresses_log_at_most_the_hourly_allowance(world):
    for i in range(150):
        client = Client(REMOTE_ADDR=f"10.{i // 250}.{i % 250}.1")
        assert client.post(reverse("onboarding:acknowledge", kwargs={"token": f"forged{i}"})).status_code == 400
    assert AuditEntry.objects.filter(action="onboarding.notice.acknowledge_refused").count() == 100


# ---------------------------------------------------------------- the feed


@pytest.mark.django_db
def test_the_feed_answers_429_with_retry_after_per_credential(world, settings):
    from tests.feed.factories import FeedClient

    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "feed.credential": "3/1m"}
    busy, other = FeedClient(system="BUSY"), FeedClient(system="OTHER")
    codes = [busy.get("B-1").status_code for _ in range(3)]
    assert codes == [404] * 3
    refused = busy.post({"batch_id": "B-1", "records": []})  # refused before the body is read
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 60
    assert "Retry-After" in refused.json()["error"]
    assert other.get("B-1").status_code == 404  # another sender is not slowed


@pytest.mark.django_db
def test_the_feeds_503_says_when_to_send_again(world, monkeypatch, settings):
    from sector.feed import api
    from tests.feed.factories import FeedClient, batch, ticket

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(api, "batch_ingest", broken)
    settings.FEED_RETRY_AFTER_SECONDS = 30
    response = FeedClient().post(batch([ticket()]))
    assert response.status_code == 503 and response["Retry-After"] == "30"
