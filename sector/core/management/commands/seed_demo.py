from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sector.core.context import acting_as
from sector.core.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, DEMO_USERS, seed_platform
from sector.core.mail import muted
from sector.core.registry import demo_seeders


class Command(BaseCommand):
    help = "Load demo agencies, courts, people and one user per role (password 'sector-demo'). Refused unless DEBUG."

    def handle(self, *args, **options):
        # No way around it, not even for tests (they turn DEBUG on around it): these accounts' password is public.
        if not settings.DEBUG:
            raise CommandError("seed_demo creates accounts with a published password; it runs only with DEBUG on.")
        # Demo history tells nobody: every seeder runs with mail muted (sector.core.mail), whatever it calls.
        with acting_as("seed_demo"), muted(), transaction.atomic():
            seed_platform(stdout=self.stdout)
            for name, func in demo_seeders.entries():
                self.stdout.write(f"demo: {name}")
                func(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at /accounts/login/ with:"))
        width = max(len(u["username"]) for u in DEMO_USERS)
        for u in DEMO_USERS:
            self.stdout.write(f"  {u['username'].ljust(width)}  {DEMO_PASSWORD}   {u['describe']}")
        self.stdout.write(
            f"Second factor: an authenticator app with the demo TOTP secret {DEMO_TOTP_SECRET}, or the code that "
            "`python manage.py demo_totp` prints."
        )
