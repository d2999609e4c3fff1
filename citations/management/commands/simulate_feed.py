import json
import random
import time
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from citations.demo import generate
from citations.demo_seed import DEMO_SYSTEM
from sector.core.context import acting_as


class Command(BaseCommand):
    help = (
        "Keep feeding the demo courts with new tickets while someone watches (opt-in; Ctrl-C stops). "
        "Sends through the same ingest service as the API, or over HTTP with --url and --token."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rate", type=float, default=30, help="tickets per minute (default 30)")
        parser.add_argument("--batch", type=int, default=5, help="tickets per batch (default 5)")
        parser.add_argument("--count", type=int, default=0, help="stop after this many tickets (default: never)")
        parser.add_argument("--url", default="", help="post to this feed URL instead of calling the service")
        parser.add_argument("--token", default="", help="bearer token for --url")
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")

    def handle(self, *args, rate, batch, count, url, token, force, **options):
        if not settings.DEBUG and not force and not url:
            raise CommandError("simulate_feed writes demo tickets; it runs only with DEBUG on (or --force).")
        if rate <= 0 or not 1 <= batch <= 1000:
            raise CommandError("--rate must be positive and --batch between 1 and 1000.")
        rng = random.Random()
        start = 2_000_000 + rng.randint(0, 7_000_000)
        sent = 0
        pause = 60.0 * batch / rate
        with acting_as("simulate_feed"):
            while not count or sent < count:
                n = min(batch, count - sent) if count else batch
                records = [
                    r for r, _ in generate(rng, count=n, start=start + sent, now=timezone.now(), spread_days=0.0001)
                ]
                for r in records:
                    r["issued_at"] = (timezone.now() - timezone.timedelta(minutes=rng.randint(5, 600))).isoformat()
                batch_id = f"SIM-{timezone.now():%Y%m%d%H%M%S}-{start + sent}"
                body = {"batch_id": batch_id, "sent_at": timezone.now().isoformat(), "records": records}
                result = self._post(url, token, body) if url else self._ingest(body)
                statuses = [r["status"] for r in result["results"]]
                sent += n
                self.stdout.write(f"{batch_id}: {', '.join(f'{s} {statuses.count(s)}' for s in sorted(set(statuses)))}")
                if not count or sent < count:
                    time.sleep(pause)

    def _ingest(self, body):
        from sector.feed.models import FeedCredential
        from sector.feed.services import batch_ingest, credential_create, parse_envelope

        credential = FeedCredential.objects.filter(system=DEMO_SYSTEM, revoked_at__isnull=True).first()
        if credential is None:
            credential, _ = credential_create(system=DEMO_SYSTEM)
        return batch_ingest(credential=credential, envelope=parse_envelope(json.dumps(body).encode()))[1]

    def _post(self, url, token, body):
        if not url.startswith(("http://", "https://")):
            raise CommandError("--url must be an http(s) URL.")
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            url,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return json.loads(response.read())
