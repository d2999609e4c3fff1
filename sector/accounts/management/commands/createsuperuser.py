"""Django's createsuperuser, without the two ways it sets a password the validators refused: `--noinput` with
DJANGO_SUPERUSER_PASSWORD (Django does not validate it) and the interactive "Bypass password validation?"
question (answered no here, so the prompt asks again)."""

import builtins
import os
from contextlib import contextmanager

from django.contrib.auth.management.commands import createsuperuser as django_createsuperuser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


@contextmanager
def _no_bypass():
    def ask(prompt=""):
        if prompt.startswith("Bypass password validation"):
            print(prompt + "N (not allowed in the SECTOR portal)")
            return "n"
        return builtins.input(prompt)

    django_createsuperuser.input = ask  # the module looks `input` up in its globals first
    try:
        yield
    finally:
        del django_createsuperuser.input


class Command(django_createsuperuser.Command):
    def handle(self, *args, **options):
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        if not options["interactive"] and password is not None:
            user_data = {
                self.UserModel.USERNAME_FIELD: options.get(self.UserModel.USERNAME_FIELD)
                or os.environ.get(f"DJANGO_SUPERUSER_{self.UserModel.USERNAME_FIELD.upper()}"),
                "email": options.get("email") or os.environ.get("DJANGO_SUPERUSER_EMAIL", ""),
            }
            try:
                validate_password(password, self.UserModel(**user_data))
            except ValidationError as exc:
                raise CommandError("DJANGO_SUPERUSER_PASSWORD is not accepted: " + " ".join(exc.messages)) from None
        with _no_bypass():
            return super().handle(*args, **options)
