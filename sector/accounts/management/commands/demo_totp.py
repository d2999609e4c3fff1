import base64
import time

from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

from sector.core.demo import DEMO_TOTP_SECRET


def demo_code(at: float | None = None) -> str:
    """The 6-digit code an authenticator app with the demo secret shows at `at` (default: now)."""
    key = base64.b32decode(DEMO_TOTP_SECRET + "=" * (-len(DEMO_TOTP_SECRET) % 8))
    totp = TOTP(key)
    if at is not None:
        totp.time = at
    return f"{totp.token():06d}"


class Command(BaseCommand):
    help = "Print the current second-factor code of the demo users (the demo TOTP secret's code right now)."

    def handle(self, *args, **options):
        left = 30 - int(time.time()) % 30
        self.stdout.write(demo_code())
        self.stderr.write(f"(valid for {left} more seconds; demo TOTP secret {DEMO_TOTP_SECRET})")
