import getpass
import os
import sys

from django.core.management.base import BaseCommand, CommandError

from sector.accounts.roles import ROLES
from sector.accounts.services import RoleError, role_grant
from sector.core.context import acting_as


class Command(BaseCommand):
    help = (
        "Give USERNAME a role, creating the account if needed (password from SECTOR_PASSWORD, else a prompt), "
        "and the agency or court membership the role needs. Prints what changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", help=f"one of: {', '.join(ROLES)}")
        parser.add_argument("--agency", metavar="ORI", help="the agency the user acts for")
        parser.add_argument("--court", metavar="CODE", help="the court the user acts for")
        parser.add_argument("--email", default="", help="email address for a new account")
        parser.add_argument(
            "--inactive",
            action="store_true",
            help="create a new account inactive (an officer without a completed sanctioned training on record)",
        )

    def handle(self, *args, username, role, agency=None, court=None, email="", inactive=False, **options):
        from sector.accounts.models import User

        password = os.environ.get("SECTOR_PASSWORD") or None
        if password is None and role in ROLES and not User.objects.filter(username=username).exists():
            if not sys.stdin.isatty():
                raise CommandError(f"user {username} does not exist: set SECTOR_PASSWORD to create it")
            password = getpass.getpass(f"Password for new user {username}: ")
            if password != getpass.getpass("Again: "):
                raise CommandError("the two passwords differ; nothing changed")
        try:
            with acting_as("grant_role (shell)"):
                result = role_grant(
                    username=username,
                    role=role,
                    agency_ori=agency,
                    court_code=court,
                    password=password,
                    email=email,
                    inactive=inactive,
                )
        except RoleError as exc:
            raise CommandError(str(exc)) from exc
        if result.changes:
            for line in result.changes:
                self.stdout.write(line)
        else:
            self.stdout.write(f"nothing changed: {username} already has role {role} and that membership")
