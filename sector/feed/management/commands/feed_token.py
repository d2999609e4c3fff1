from django.core.management.base import BaseCommand, CommandError

from sector.core.context import acting_as
from sector.feed.models import FeedCredential
from sector.feed.services import credential_create, credential_revoke
from sector.orgs.models import Agency


class Command(BaseCommand):
    help = (
        "Issue (create --system NAME: prints the token alone on stdout) or revoke (revoke --hint PREFIX) feed tokens."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="issue a token for a sending system")
        create.add_argument("--system", required=True)
        create.add_argument(
            "--types",
            default="",
            help="record types it may send, comma-separated (default: every type in the contract)",
        )
        create.add_argument(
            "--agencies", default="", help="ORIs it may send for, comma-separated (default: every agency)"
        )
        revoke = sub.add_parser("revoke", help="revoke the token whose first characters are given")
        revoke.add_argument("--hint", required=True)

    def handle(self, *args, action, **options):
        with acting_as("manage.py feed_token"):
            if action == "create":
                types = [t.strip() for t in options["types"].split(",") if t.strip()] or None
                agencies = None
                oris = [o.strip().upper() for o in options["agencies"].split(",") if o.strip()]
                if oris:
                    found = {a.ori: a for a in Agency.objects.filter(ori__in=oris)}
                    missing = [o for o in oris if o not in found]
                    if missing:
                        raise CommandError(f"No agency with ORI {', '.join(missing)}.")
                    agencies = [found[o] for o in oris]
                try:
                    _credential, token = credential_create(
                        system=options["system"], record_types=types, agencies=agencies
                    )
                except ValueError as exc:
                    raise CommandError(str(exc)) from None
                self.stdout.write(token)
                return
            matches = list(FeedCredential.objects.filter(token_hint=options["hint"], revoked_at__isnull=True))
            if len(matches) != 1:
                raise CommandError(f"{len(matches)} active tokens start with that hint; give the 10-character hint.")
            credential_revoke(credential=matches[0])
            self.stderr.write(f"revoked {matches[0]}")
